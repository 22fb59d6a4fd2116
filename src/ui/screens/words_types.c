/*
 * words_types: the kiosk's words for the text and draw questions (the
 * keyboard's keys, the reminder not to type names, the drawing's colours
 * and tools), in each language it knows. Like words.c: never NULL, English
 * for a language it does not know (with lang "en"), and the pl, ur, ar and
 * bn words machine-drafted, to be checked by a fluent reader.
 */
#include "ui.h"

#include <string.h>

static const ui_type_words words[] = {
	{ .lang = "en", .no_names = "Please do not type anyone's name.", .del = "Delete",
	  .space = "Space", .colours = { "Black", "Red", "Blue", "Green", "Yellow" },
	  .eraser = "Rubber", .start_again = "Start again", .draw_here = "Draw here",
	  .more_letters = "More letters" },
	{ .lang = "pl", .no_names = "Nie wpisuj niczyjego imienia.", .del = "Usuń",
	  .space = "Spacja", .colours = { "Czarny", "Czerwony", "Niebieski", "Zielony", "Żółty" },
	  .eraser = "Gumka", .start_again = "Od nowa", .draw_here = "Rysuj tutaj",
	  .more_letters = "Więcej liter" },
	{ .lang = "ur", .no_names = "کسی کا نام نہ لکھیں۔", .del = "مٹائیں",
	  .space = "خالی جگہ", .colours = { "کالا", "لال", "نیلا", "ہرا", "پیلا" },
	  .eraser = "ربڑ", .start_again = "دوبارہ شروع کریں", .draw_here = "یہاں تصویر بنائیں",
	  .more_letters = "مزید حروف" },
	{ .lang = "ar", .no_names = "من فضلك لا تكتب اسم أحد.", .del = "حذف",
	  .space = "مسافة", .colours = { "أسود", "أحمر", "أزرق", "أخضر", "أصفر" },
	  .eraser = "ممحاة", .start_again = "ابدأ من جديد", .draw_here = "ارسم هنا",
	  .more_letters = "المزيد من الحروف" },
	{ .lang = "bn", .no_names = "কারও নাম লিখবেন না।", .del = "মুছুন",
	  .space = "ফাঁকা", .colours = { "কালো", "লাল", "নীল", "সবুজ", "হলুদ" },
	  .eraser = "রাবার", .start_again = "আবার শুরু", .draw_here = "এখানে আঁকুন",
	  .more_letters = "আরও অক্ষর" },
};

const ui_type_words *
ui_type_words_for(const char *lang)
{
	return UI_LANG_ENTRY(words, lang);
}
