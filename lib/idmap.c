/*
 * idmap.c - the index from customer ids to numbers (see idmap.h).
 */
#include <stdlib.h>

#include "idmap.h"

size_t
idmap_next_cap(const struct idmap *m)
{
	if ((m->n + 1) * 2 <= m->cap)
		return 0;
	return m->cap ? m->cap * 2 : 1024;
}

void
idmap_reserve(struct idmap *m)
{
	size_t cap = idmap_next_cap(m);

	if (cap)
		idmap_grow(m, big_calloc(cap, sizeof(*m->slot)), cap);
}

void
idmap_grow(struct idmap *m, struct idslot *slot, size_t cap)
{
	struct idslot *old = m->slot;
	size_t oldcap = m->cap, i;

	m->cap = cap;
	m->slot = slot;
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (!old[i].idx)
			continue;
		for (j = old[i].hash & (m->cap - 1); m->slot[j].idx;
		    j = (j + 1) & (m->cap - 1))
			;
		m->slot[j] = old[i];
	}
	free(old);
}

void
idmap_set(struct idmap *m, size_t i, size_t len, uint64_t word, uint32_t h,
    size_t num)
{
	m->slot[i].word = word;
	m->slot[i].hash = h;
	m->slot[i].idx = (uint32_t)(num + 1) | (len > 8 ? IDSLOT_LONG : 0);
	m->n++;
}

long
idmap_add(struct idmap *m, char *const *keys, const char *id, size_t len,
    size_t num)
{
	uint64_t w = idmap_word(id, len);
	uint32_t h = idmap_hash(id, len, w);
	int found;
	size_t i;

	idmap_reserve(m);
	i = idmap_probe(m, keys, id, len, w, h, &found);
	if (found)
		return (long)idmap_at(m, i);
	idmap_set(m, i, len, w, h, num);
	return -1;
}

void
idmap_release(struct idmap *m)
{
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}
