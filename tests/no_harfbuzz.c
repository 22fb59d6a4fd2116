/*
 * no_harfbuzz: an LD_PRELOAD stand-in for an SDL_ttf built without
 * HarfBuzz. Such an SDL_ttf answers TTF_SetFontScriptName and
 * TTF_SetFontDirection with -1 ("must be compiled with HarfBuzz"); this
 * shim does the same, so test_ui_no_harfbuzz can see the kiosk notice it.
 */
#include <SDL_ttf.h>

int
TTF_SetFontScriptName(TTF_Font *font, const char *script)
{
	(void)font;
	(void)script;
	TTF_SetError("TTF_SetFontScriptName unsupported: no HarfBuzz (test shim)");
	return -1;
}

int
TTF_SetFontDirection(TTF_Font *font, TTF_Direction direction)
{
	(void)font;
	(void)direction;
	TTF_SetError("TTF_SetFontDirection unsupported: no HarfBuzz (test shim)");
	return -1;
}
