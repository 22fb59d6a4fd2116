/*
 * fuzz_config: libFuzzer on the kiosk settings parser (kiosk.yaml), which
 * staff edit by hand and a stick may bring.
 *
 * config_load reads a path, so each input is written to a memfd and read
 * through /proc/self/fd/N, the parser's own path unchanged. Starting from
 * the defaults it must never crash, leak or hang; a refusal must say
 * something; and whatever it accepts must be within each setting's range.
 * Build and run: see tests/fuzz/README.md.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/diag.h"
#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("kiosk.yaml", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();

	kiosk_config c;
	config_default(&c);
	diag_list d = { 0 };
	int rc = config_load(path, &c, &d);
	if (rc != 0 && diag_count(&d, DIAG_ERROR) == 0)
		abort();   /* a refusal says why */
	if (rc == 0) {
		if (c.n_flows < 0 || c.n_flows > CONFIG_MAX_FLOWS ||
		    c.n_voices < 0 || c.n_voices > CONFIG_MAX_VOICES)
			abort();
		for (int i = 0; i < c.n_flows; i++)
			if (!c.flows[i])
				abort();
		for (int i = 0; i < c.n_voices; i++)
			if (!memchr(c.voices[i].lang, 0, sizeof c.voices[i].lang) ||
			    !memchr(c.voices[i].voice, 0, sizeof c.voices[i].voice))
				abort();
		if (c.min_target_mm <= 0 || c.dpi < 0)
			abort();
	}
	diag_list_finish(&d);
	config_finish(&c);
	return 0;
}
