/*
 * words_access: the words of "How do you like to answer?" (screen_access.c)
 * in each language the kiosk knows: its title, each way of answering, Keep
 * for a new way on trial, and "on" / "off" said when an option changes.
 * Like words.c: never NULL, English for a language it does not know (with
 * lang "en", so it is shaped, ordered and spoken as English).
 *
 * The pl, ur, ar and bn words are machine-drafted and need a fluent
 * reader's check before a kiosk goes out; the ones marked CHECK below are
 * the least sure (there is no settled everyday word for dwell selection,
 * and the register for a child may want softening).
 */
#include "app.h"
#include "ui.h"

#include <string.h>

static const ui_access_words words[] = {
	{
		.lang = "en", .title = "How do you like to answer?",
		.options = {
			[ACCESS_OPT_SPEECH] = "Read aloud",
			[ACCESS_OPT_LARGE_TEXT] = "Bigger words",
			[ACCESS_OPT_CONTRAST] = "High contrast",
			[ACCESS_OPT_TOUCH] = "Touch",
			[ACCESS_OPT_SWITCH] = "Switch",
			[ACCESS_OPT_DWELL] = "Dwell",
		},
		.keep = "Keep", .on = "on", .off = "off",
	},
	{
		.lang = "pl", .title = "Jak chcesz odpowiadać?",
		.options = {
			[ACCESS_OPT_SPEECH] = "Czytaj na głos",
			[ACCESS_OPT_LARGE_TEXT] = "Większy tekst",
			[ACCESS_OPT_CONTRAST] = "Wysoki kontrast",
			[ACCESS_OPT_TOUCH] = "Dotyk",
			[ACCESS_OPT_SWITCH] = "Przełącznik",
			/* CHECK: "dwell" (choose by resting the pointer) */
			[ACCESS_OPT_DWELL] = "Zatrzymanie",
		},
		.keep = "Zachowaj", .on = "włączone", .off = "wyłączone",
	},
	{
		.lang = "ur", .title = "آپ کیسے جواب دینا پسند کرتے ہیں؟",
		.options = {
			[ACCESS_OPT_SPEECH] = "بلند آواز سے پڑھیں",
			[ACCESS_OPT_LARGE_TEXT] = "بڑے الفاظ",
			/* CHECK: the loanword "کنٹراسٹ" */
			[ACCESS_OPT_CONTRAST] = "زیادہ کنٹراسٹ",
			[ACCESS_OPT_TOUCH] = "چھونا",
			[ACCESS_OPT_SWITCH] = "سوئچ",
			/* CHECK: "dwell": "choose by stopping" */
			[ACCESS_OPT_DWELL] = "رک کر چنیں",
		},
		.keep = "رکھیں", .on = "آن", .off = "آف",
	},
	{
		.lang = "ar", .title = "كيف تحب أن تجيب؟",
		.options = {
			[ACCESS_OPT_SPEECH] = "القراءة بصوت عالٍ",
			[ACCESS_OPT_LARGE_TEXT] = "كلمات أكبر",
			[ACCESS_OPT_CONTRAST] = "تباين عالٍ",
			[ACCESS_OPT_TOUCH] = "اللمس",
			[ACCESS_OPT_SWITCH] = "مفتاح",
			/* CHECK: "dwell": "choosing by pausing" */
			[ACCESS_OPT_DWELL] = "الاختيار بالتوقف",
		},
		.keep = "احتفظ", .on = "تشغيل", .off = "إيقاف",
	},
	{
		.lang = "bn", .title = "তুমি কীভাবে উত্তর দিতে চাও?",
		.options = {
			[ACCESS_OPT_SPEECH] = "জোরে পড়ে শোনাও",
			[ACCESS_OPT_LARGE_TEXT] = "বড় লেখা",
			/* CHECK: the loanword "কনট্রাস্ট" */
			[ACCESS_OPT_CONTRAST] = "বেশি কনট্রাস্ট",
			[ACCESS_OPT_TOUCH] = "ছোঁয়া",
			[ACCESS_OPT_SWITCH] = "সুইচ",
			/* CHECK: "dwell": "stop and choose" */
			[ACCESS_OPT_DWELL] = "থেমে বাছাই",
		},
		.keep = "রাখো", .on = "চালু", .off = "বন্ধ",
	},
};

_Static_assert(ACCESS_OPT_COUNT == UI_ACCESS_OPTS, "one label per option");

const ui_access_words *
ui_access_words_for(const char *lang)
{
	return UI_LANG_ENTRY(words, lang);
}
