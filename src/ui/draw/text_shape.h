/*
 * text_shape: the fonts, and text shaped with them, for text.c's cache
 * only. SDL_ttf shapes with HarfBuzz but has no bidi and no font fallback,
 * so here each line is split with fribidi into runs of one embedding level
 * and one script; each run is shaped by the font for its script (Andika or
 * OpenDyslexic for Latin, Noto Naskh Arabic, Noto Nastaliq Urdu for Urdu,
 * Noto Sans Bengali) with its direction and script set on that font, and
 * the runs are laid out in visual order. Numbers and Latin words inside
 * Urdu or Arabic come out left to right, in the right place. Plain ASCII
 * takes a short path with one run.
 *
 * Font files are mapped into memory (mmap) and read by FreeType from
 * there: through a file RWops every one of FreeType's many small reads
 * was a seek and a read (about 8,000 system calls for the two Latin faces
 * before the first frame).
 *
 * One TTF_Font per family and face; sizes are switched with
 * TTF_SetFontSize (SDL_ttf renders at 72 dpi, so a "point" here is a
 * pixel). Lines are broken by our own greedy breaker so the fitter and the
 * drawer share one answer. Shaping allocates inside HarfBuzz, which is why
 * text.c caches every answer it gets from here.
 */
#ifndef TELLUS_TEXT_SHAPE_H
#define TELLUS_TEXT_SHAPE_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>
#include <SDL_ttf.h>
#include "draw/draw.h"
#include "base/error.h"

enum text_family { FAM_LATIN = 0, FAM_NASKH, FAM_NASTALIQ, FAM_BENGALI, FAM_DYSLEXIC, FAM_COUNT };

typedef struct text_fonts {
	TTF_Font *fonts[FAM_COUNT][FONT_COUNT];   /* a missing bold uses the regular;
	                                             opened when first needed */
	bool tried[FAM_COUNT][FONT_COUNT];        /* opened once, or failed once */
	void *map[FAM_COUNT][FONT_COUNT];         /* each open font's file, mapped */
	size_t map_len[FAM_COUNT][FONT_COUNT];
	char dir[1024];                           /* the fonts' folder */
	bool harfbuzz;                            /* SDL_ttf shapes (HarfBuzz) */
	int cur_px[FAM_COUNT][FONT_COUNT];
	bool dyslexic;                            /* Latin in OpenDyslexic */
	uint64_t shapes;                          /* texts shaped to measure them, ever */
} text_fonts;

/* Checks every font file in font_dir and opens the Latin ones (the rest
 * open when first needed); 0, or -1 with err filled (and nothing left
 * open). */
int text_shape_open(text_fonts *tf, const char *font_dir, tl_error *err);
void text_shape_close(text_fonts *tf);
/* Size of s wrapped at max_w; false when a single word is wider than
 * max_w (it is then broken inside, between characters) or memory ran out.
 * Any length, any number of lines. Not cached: shapes. */
bool text_shape_measure(text_fonts *tf, const char *s, const char *lang, enum font_face face,
                        int px, int max_w, int *w, int *h);
/* s wrapped at max_w and aligned, in a new ARGB surface (caller frees);
 * NULL when there is nothing to draw or memory ran out. Never wider than
 * max_w (a word too long for a line is broken between its characters)
 * unless one character alone is; with max_h > 0 only the lines that fit
 * in max_h are drawn (at least one), the last of them ending in "…". */
SDL_Surface *text_shape_render(text_fonts *tf, const char *s, const char *lang,
                               enum font_face face, int px, int max_w, int max_h,
                               enum text_align align, ui_color c);
/* Frees the working buffers shaping grew (text_cache_destroy calls it). */
void text_shape_scratch_free(void);

#endif
