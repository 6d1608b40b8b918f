#include <stdlib.h>
#include "tap.h"
#include "util.h"

int
main(void)
{
	struct sbuf sb = SBUF_INIT;
	struct strmap m = STRMAP_INIT;
	char *s;
	int i;

	sb_printf(&sb, "%s-%d", "a", 42);
	is_str(sb_str(&sb), "a-42", "sb_printf formats");
	sb_release(&sb);
	is_str(q("a\nb"), "a\\nb", "q escapes a newline");
	ok(utf8_valid("Ňoňo Žltý", strlen("Ňoňo Žltý")), "Slovak text is valid UTF-8");
	ok(!utf8_valid("\xc0\xaf", 2), "overlong slash is invalid");
	ok(!utf8_valid("\xed\xa0\x80", 3), "surrogate is invalid");
	is_int(utf8_width("Ølberg"), 6, "width of Norwegian name");
	is_int(utf8_width("Иванов"), 6, "width of Cyrillic name");
	is_int(utf8_width("日本"), 4, "wide characters count two");
	s = utf8_fold("ИВАНОВ Ærø ŠTEFAN Ľubomír Пётр");
	is_str(s, "иванов æro stefan lubomir петр", "fold case and accents");
	free(s);
	s = utf8_fold("S\xcc\x8ctefan");
	is_str(s, "stefan", "combining accents are dropped");
	free(s);
	for (i = 0; i < 1000; i++) {
		char k[16];
		snprintf(k, sizeof(k), "c%d", i);
		strmap_put(&m, k, (void *)(long)(i + 1));
	}
	is_int((long)strmap_get(&m, "c777"), 778, "strmap keeps 1000 keys");
	ok(strmap_get(&m, "c1000") == NULL, "strmap misses an absent key");
	strmap_release(&m, 0);
	return done_testing();
}
