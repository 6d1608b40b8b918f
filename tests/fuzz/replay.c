/*
 * replay.c - runs a fuzz target over the files named (a seed corpus and
 * the inputs that once crashed it), without libFuzzer, as a TAP test:
 * make check replays every one, so a fixed crash stays fixed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int count;

static void
run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t n;

	if (!fp || fstat(fileno(fp), &st) < 0) {
		printf("not ok %d - cannot read %s\n", ++count, path);
		return;
	}
	buf = malloc((size_t)st.st_size + 1);
	n = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);	/* aborts on a failed property */
	free(buf);
	printf("ok %d - %s\n", ++count, path);
}

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int n = scandir(argv[i], &names, NULL, alphasort), k;

			for (k = 0; k < n; k++) {
				if (names[k]->d_name[0] != '.') {
					char path[4096];

					snprintf(path, sizeof(path), "%s/%s", argv[i],
					    names[k]->d_name);
					run_file(path);
				}
				free(names[k]);
			}
			free(names);
		} else {
			run_file(argv[i]);
		}
	}
	printf("1..%d\n", count);
	return 0;
}
