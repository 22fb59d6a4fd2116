/*
 * words: what the kiosk itself says (Start, Back, "I don't want to say",
 * "2 of 5"...) in each language it knows, and each language's own name in
 * its own script for the language screen.
 *
 * Promises: ui_words_for never returns NULL; a language it does not know
 * gets the English words, and their `lang` says "en" so they are shaped
 * and ordered as English even on a screen in another language.
 *
 * The pl, ur, ar and bn words are machine-drafted and need a fluent
 * reader's check before a kiosk goes out. Digits stay Western (0-9) in
 * every language: they are what the flows' numbers use, and bidi orders
 * them correctly inside right-to-left sentences.
 */
#include "ui.h"

#include <string.h>

static const ui_words words[] = {
	{
		.lang = "en", .name = "English", .language = "Language",
		.start = "Start",
		.back = "Back",
		.skip = "Skip",
		.decline = "I don't want to say",
		.done = "Done",
		.thanks_title = "Thank you!",
		.thanks_body = "Your answers are saved.",
		.finish = "Finish",
		.still_there = "Are you still there?",
		.yes_here = "Yes, I'm here",
		.tap_anywhere = "Tap anywhere to carry on.",
		.progress_of = "of",
		.choose_flow = "What would you like to tell us about?",
		.finished = "I've finished",
		.audience_title = "These people will read what you say",
		.carry_on = "Carry on",
	},
	{
		.lang = "pl", .name = "Polski", .language = "Język",
		.start = "Start",
		.back = "Wstecz",
		.skip = "Pomiń",
		.decline = "Nie chcę mówić",
		.done = "Gotowe",
		.thanks_title = "Dziękujemy!",
		.thanks_body = "Twoje odpowiedzi są zapisane.",
		.finish = "Zakończ",
		.still_there = "Czy nadal tu jesteś?",
		.yes_here = "Tak, jestem tu",
		.tap_anywhere = "Dotknij ekranu, aby kontynuować.",
		.progress_of = "z",
		.choose_flow = "O czym chcesz nam powiedzieć?",
		.finished = "Kończę",
		.audience_title = "Te osoby przeczytają, co powiesz",
		.carry_on = "Dalej",
	},
	{
		/* "5 میں سے 2": the total comes first in Urdu. */
		.lang = "ur", .name = "اردو", .language = "زبان",
		.start = "شروع کریں",
		.back = "واپس",
		.skip = "چھوڑیں",
		.decline = "نہیں بتانا چاہتے",
		.done = "مکمل",
		.thanks_title = "شکریہ!",
		.thanks_body = "آپ کے جوابات محفوظ ہو گئے ہیں۔",
		.finish = "ختم کریں",
		.still_there = "کیا آپ ابھی یہاں ہیں؟",
		.yes_here = "جی ہاں، میں یہاں ہوں",
		.tap_anywhere = "جاری رکھنے کے لیے کہیں بھی چھوئیں۔",
		.progress_of = "میں سے",
		.choose_flow = "آپ ہمیں کس بارے میں بتانا چاہیں گے؟",
		.finished = "میں نے ختم کر لیا",
		.audience_title = "یہ لوگ آپ کی بات پڑھیں گے",
		.carry_on = "آگے چلیں",
		.total_first = true,
	},
	{
		.lang = "ar", .name = "العربية", .language = "اللغة",
		.start = "ابدأ",
		.back = "رجوع",
		.skip = "تخطٍّ",
		.decline = "لا أريد أن أقول",
		.done = "تم",
		.thanks_title = "شكرًا!",
		.thanks_body = "تم حفظ إجاباتك.",
		.finish = "إنهاء",
		.still_there = "هل ما زلت هنا؟",
		.yes_here = "نعم، أنا هنا",
		.tap_anywhere = "المس أي مكان للمتابعة.",
		.progress_of = "من",
		.choose_flow = "عن ماذا تحب أن تخبرنا؟",
		.finished = "انتهيت",
		.audience_title = "هؤلاء الأشخاص سيقرؤون ما تقوله",
		.carry_on = "متابعة",
	},
	{
		/* "5 এর মধ্যে 2": the total comes first in Bengali too. */
		.lang = "bn", .name = "বাংলা", .language = "ভাষা",
		.start = "শুরু করো",
		.back = "পিছনে",
		.skip = "বাদ দাও",
		.decline = "আমি বলতে চাই না",
		.done = "হয়ে গেছে",
		.thanks_title = "ধন্যবাদ!",
		.thanks_body = "তোমার উত্তরগুলো রাখা হয়েছে।",
		.finish = "শেষ করো",
		.still_there = "তুমি কি এখনও আছো?",
		.yes_here = "হ্যাঁ, আমি আছি",
		.tap_anywhere = "চালিয়ে যেতে যেকোনো জায়গায় ছোঁও।",
		.progress_of = "এর মধ্যে",
		.choose_flow = "তুমি আমাদের কী নিয়ে বলতে চাও?",
		.finished = "আমার শেষ",
		.audience_title = "এই মানুষেরা তোমার কথা পড়বেন",
		.carry_on = "এগিয়ে চলো",
		.total_first = true,
	},
};

size_t
ui_lang_index(const char *const *first_lang, size_t n, size_t stride, const char *lang)
{
	if (!lang)
		return 0;
	const char *base = (const char *)first_lang;
	size_t primary = strcspn(lang, "-_"), near = n;
	for (size_t i = 0; i < n; i++) {
		const char *l = *(const char *const *)(const void *)(base + i * stride);
		if (strcmp(l, lang) == 0)
			return i;
		if (near == n && strlen(l) == primary && strncmp(l, lang, primary) == 0)
			near = i;
	}
	return near < n ? near : 0;
}

const ui_words *
ui_words_for(const char *lang)
{
	return UI_LANG_ENTRY(words, lang);
}
