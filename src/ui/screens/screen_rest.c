/*
 * screen_rest: "This kiosk is having a rest. Please tell a member of
 * staff." While the answers' disk cannot take records (full, failing,
 * read-only) the kiosk does not invite the next person: this calm screen
 * stands in for welcome until the writer's queue has drained, then welcome
 * comes back by itself. There is nothing to press; the staff gesture still
 * works, and the staff menu says what is wrong.
 *
 * Also here: the few words about the disk the thank-you screen needs
 * ("Saving your answers", "please ask staff to check the kiosk"), and the
 * three calm dots both screens use while they wait. The pl, ur, ar and bn
 * words are machine-drafted like the rest of words.c.
 */
#include "ui.h"
#include "store/store_writer.h"

#include <string.h>

static const struct {
	const char *lang;
	const char *w[UI_W_DISK_COUNT];
} disk_words[] = {
	{ "en", { "This kiosk is having a rest.", "Please tell a member of staff.",
	          "Saving your answers", "Please ask a member of staff to check the kiosk." } },
	{ "pl", { "Ten kiosk odpoczywa.", "Powiedz o tym komuś z obsługi.",
	          "Zapisujemy twoje odpowiedzi", "Poproś kogoś z obsługi, aby sprawdził kiosk." } },
	{ "ur", { "یہ کیوسک آرام کر رہا ہے۔", "براہ کرم عملے کے کسی رکن کو بتائیں۔",
	          "آپ کے جوابات محفوظ ہو رہے ہیں", "براہ کرم عملے سے کیوسک چیک کرنے کو کہیں۔" } },
	{ "ar", { "هذا الجهاز يستريح الآن.", "من فضلك أخبر أحد الموظفين.",
	          "نحفظ إجاباتك", "من فضلك اطلب من أحد الموظفين فحص الجهاز." } },
	{ "bn", { "এই কিয়স্কটি এখন বিশ্রাম নিচ্ছে।", "দয়া করে একজন কর্মীকে জানাও।",
	          "তোমার উত্তরগুলো রাখা হচ্ছে", "দয়া করে একজন কর্মীকে কিয়স্কটি দেখতে বলো।" } },
};

const char *
screen_rest_words(const char *lang, enum ui_disk_words w)
{
	if ((unsigned)w >= UI_W_DISK_COUNT)
		return "";
	return UI_LANG_ENTRY(disk_words, lang)->w[w];
}

const char *
screen_rest_staff_words(int store_health, bool queue_full)
{
	switch (store_health) {
	case STORE_HEALTH_FULL:
		return "The disk is full: answers are waiting in memory and are not saved yet. "
		       "Free some space, or call for help.";
	case STORE_HEALTH_IOERR:
		return "The disk is failing to save answers (a disk error). They are waiting "
		       "in memory; the kiosk keeps trying.";
	case STORE_HEALTH_READONLY:
		return "The disk has become read-only: answers cannot be saved and are "
		       "waiting in memory.";
	case STORE_HEALTH_BUSY:
		return "Another program is holding the answers database: answers are waiting "
		       "in memory.";
	default:
		return queue_full ? "Too many answers are waiting to be saved; the kiosk has "
		                    "stopped taking more until they are." : NULL;
	}
}

void
screen_rest_dots(ui_ctx *c, ui_rect r)
{
	/* One dot brightens at a time, slowly; with reduced motion they all
	 * stay still and half lit. */
	int d = ui_min(r.h, r.w / 5);
	int lit = c->acc && c->acc->reduced_motion ? -1 : (int)((c->anim_ms / 700) % 3);
	int x0 = r.x + (r.w - 5 * d) / 2;
	for (int i = 0; i < 3; i++) {
		ui_color col = i == lit ? c->th->primary : c->th->dot;
		draw_disc(c->dl, (ui_rect){ x0 + i * 2 * d, r.y + (r.h - d) / 2, d, d }, col);
	}
}

void
screen_rest_build(ui_ctx *c)
{
	const char *lang = c->view->language;
	int m = ui_margin(c);
	char sym[1024];
	int s = c->h * 30 / 100;
	draw_image(c->dl, (ui_rect){ (c->w - s) / 2, m * 2, s, s }, ui_symbol(c, "calm-space", sym, sizeof sym));
	ui_rect tr = { m * 2, m * 2 + s + m, c->w - 4 * m, c->h * 16 / 100 };
	ui_text(c, tr, screen_rest_words(lang, UI_W_REST_TITLE), tr.h * 7 / 10, FONT_BOLD,
	        ALIGN_CENTER, c->th->text);
	ui_rect br = { m * 2, tr.y + tr.h, c->w - 4 * m, c->h * 12 / 100 };
	ui_text(c, br, screen_rest_words(lang, UI_W_REST_BODY), br.h * 6 / 10, FONT_REGULAR,
	        ALIGN_CENTER, c->th->text);
}
