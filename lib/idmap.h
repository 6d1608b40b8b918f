/*
 * idmap.h - an index from customer ids to numbers 0..n-1, for the
 * passes over a log that look up a customer for every event.
 *
 * Open addressing over 16-byte slots.  An id of up to 8 bytes (most
 * are: c1 .. c999999) is held in its slot, padded with NULs, so that
 * finding it reads the slot and nothing else: with half a million
 * customers every read of the index is a cache miss, and a second one
 * for the key would double the cost.  Longer ids are compared with the
 * caller's keys: keys[i] is the id numbered i.
 *
 * The hot functions are inline so that a caller's pipeline (hash and
 * prefetch now, probe a dozen events later) compiles into one loop.
 */
#ifndef CRM_IDMAP_H
#define CRM_IDMAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

struct idslot {
	uint64_t word;		/* the id's first 8 bytes (idmap_word()) */
	uint32_t hash;
	uint32_t idx;		/* the number + 1 (0: empty), | IDSLOT_LONG */
};
#define IDSLOT_LONG 0x80000000U	/* the id is longer than 8 bytes */

struct idmap {
	struct idslot *slot;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};
#define IDMAP_INIT { NULL, 0, 0 }

static inline uint64_t
idmap_word(const char *id, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t a, b;

	/*
	 * The first 8 bytes, little-endian, zero-filled.  Not memcpy() of
	 * a variable length into a word, which goes through the stack and
	 * stalls reading it back; nor byte by byte (a loop of up to eight,
	 * for every event): two loads of fixed size, which may overlap and
	 * then put the same bytes in the same places, or three bytes, the
	 * first, the middle and the last, for an id of up to three.
	 */
	if (len >= 8) {
		uint64_t w;

		memcpy(&w, id, 8);
		return w;
	}
	if (len >= 4) {
		memcpy(&a, id, 4);
		memcpy(&b, id + len - 4, 4);
		return a | (uint64_t)b << (8 * (len - 4));
	}
	if (len == 0)
		return 0;
	return (uint64_t)(unsigned char)id[0] |
	    (uint64_t)(unsigned char)id[len / 2] << (8 * (len / 2)) |
	    (uint64_t)(unsigned char)id[len - 1] << (8 * (len - 1));
#else
	uint64_t w = 0;
	size_t i;

	for (i = 0; i < len && i < 8; i++)
		w |= (uint64_t)(unsigned char)id[i] << (8 * i);
	return w;
#endif
}

/* A 64-bit mix (splitmix64's finaliser), folded to 32 bits. */
static inline uint32_t
idmap_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)(z ^ (z >> 31));
}

/* The hash of an id; word is idmap_word() of it. */
static inline uint32_t
idmap_hash(const char *id, size_t len, uint64_t word)
{
	return len <= 8 ? idmap_mix(word) :
	    idmap_mix(str_hash(id, len) ^ (uint64_t)len << 32);
}

/* Ask for the slot where a probe for hash h starts. */
static inline void
idmap_prefetch(const struct idmap *m, uint32_t h)
{
	if (m->cap)
		prefetch_w(&m->slot[h & (m->cap - 1)]);
}

/*
 * The slot holding id, with *found = 1, or the empty slot where it
 * would go, with *found = 0.  The map must have room (cap > 0).
 */
static inline size_t
idmap_probe(const struct idmap *m, char *const *keys, const char *id,
    size_t len, uint64_t word, uint32_t h, int *found)
{
	size_t mask = m->cap - 1, i = h & mask;

	for (;;) {
		const struct idslot *e = &m->slot[i];

		if (!e->idx) {
			*found = 0;
			return i;
		}
		if (e->hash == h && e->word == word) {
			if (len <= 8 && !(e->idx & IDSLOT_LONG)) {
				*found = 1;
				return i;
			}
			if (len > 8 && (e->idx & IDSLOT_LONG)) {
				const char *k = keys[(e->idx & ~IDSLOT_LONG) - 1];

				if (strncmp(k, id, len) == 0 && k[len] == '\0') {
					*found = 1;
					return i;
				}
			}
		}
		i = (i + 1) & mask;
	}
}

/* The number of slot i, found by idmap_probe(). */
static inline size_t
idmap_at(const struct idmap *m, size_t i)
{
	return (size_t)(m->slot[i].idx & ~IDSLOT_LONG) - 1;
}

/* The number of id, or -1. */
static inline long
idmap_find(const struct idmap *m, char *const *keys, const char *id,
    size_t len, uint64_t word, uint32_t h)
{
	size_t i;
	int found;

	if (!m->cap)
		return -1;
	i = idmap_probe(m, keys, id, len, word, h, &found);
	return found ? (long)idmap_at(m, i) : -1;
}

/* The number of id, hashing it here. */
static inline long
idmap_lookup(const struct idmap *m, char *const *keys, const char *id)
{
	size_t len = strlen(id);
	uint64_t w = idmap_word(id, len);

	return idmap_find(m, keys, id, len, w, idmap_hash(id, len, w));
}

/*
 * idmap_reserve() makes room for one more id, keeping the map below
 * half full so that probes stay short; it may move every slot, so probe
 * after it.  idmap_set() fills the empty slot i that idmap_probe()
 * gave with the number num.
 */
void idmap_reserve(struct idmap *m);
/* Or in two steps: idmap_next_cap(), 0 when there is room, else the
 * size to grow to; then idmap_grow() with a zeroed array of that many
 * slots, which it takes. */
size_t idmap_next_cap(const struct idmap *m);
void idmap_grow(struct idmap *m, struct idslot *slot, size_t cap);
void idmap_set(struct idmap *m, size_t i, size_t len, uint64_t word,
    uint32_t h, size_t num);
/* idmap_add() gives id the number num and returns -1, or returns the
 * number id already has (and adds nothing). */
long idmap_add(struct idmap *m, char *const *keys, const char *id, size_t len,
    size_t num);
void idmap_release(struct idmap *m);

#endif
