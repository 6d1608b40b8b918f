/*
 * fuzz_json.c - libFuzzer target for the JSON Lines reader: any bytes
 * give records or a message, never a crash, a leak or a hang; every
 * field read is valid UTF-8 without NUL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "reader.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd_opts o = { .format = RD_JSONL, .bufsize = 32 };
	struct crm_err err;
	struct reader *r;
	struct rec *rec;
	int fd = fuzz_fd(data, size);
	size_t i;

	r = rd_fdopen(fd, "fuzz", &o, &err);
	if (r) {
		while (rd_next(r, &rec, &err) > 0)
			for (i = 0; i < rec->nf; i++)
				if (!utf8_valid(rec->f[i], rec->len[i]) ||
				    memchr(rec->f[i], '\0', rec->len[i]))
					abort();
		rd_close(r);
	}
	close(fd);
	return 0;
}
