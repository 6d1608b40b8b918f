#!/usr/bin/python3
"""make-vobject.py - vCard fixtures written and read by python3-vobject.

  make-vobject.py            write vobject.vcf (contacts serialized by
                             vobject) and vobject.expect (vobject's
                             reading of it, in dump form)
  make-vobject.py dump FILE  print vobject's reading of FILE in dump form

Run from tests/data/vcard with Debian's /usr/bin/python3 (python3-vobject).
The generated files are committed, so that the unit test needs no python.

The dump form is what tests/unit/test_vcard.c prints for lib/vcard.c's
reading of the same file, one field a line, so that the two readings can
be compared as text.  It applies crm's rules to vobject's values: N
components with several values joined by spaces, ORG's first component,
TYPE values in lower case without "pref" (kept as rank 1) and, for
EMAIL, "internet"; BDAY as YYYY-MM-DD or --MM-DD (year 1604 or
X-APPLE-OMIT-YEAR: no year); categories trimmed, empty ones dropped.
"""
import re
import sys

import vobject


def esc(s):
    return s.replace('\\', '\\\\').replace('\n', '\\n').replace('|', '\\|')


def flat(v):
    """A vobject N component: a string or a list of strings."""
    if isinstance(v, (list, tuple)):
        v = [x.strip() for x in v]
        return ' '.join(x for x in v if x)
    return v.strip()


def types_pref(prop, email):
    types, pref = [], 0
    for t in prop.params.get('TYPE', []):
        for x in t.split(','):
            x = x.strip().lower()
            if x == 'pref':
                pref = 1 if not pref else min(pref, 1)
            elif x and not (email and x == 'internet') and x not in types:
                types.append(x)
    for p in prop.params.get('PREF', []):
        r = int(p) if p.isdigit() and 1 <= int(p) <= 100 else 1
        pref = r if not pref else min(pref, r)
    return ','.join(types), pref


def bday(prop):
    s = prop.value.strip()
    s = re.split('[T ]', s)[0]
    omit = prop.params.get('X-APPLE-OMIT-YEAR', ['0'])[0]
    for pat in (r'(\d{4})(\d\d)(\d\d)$', r'(\d{4})-(\d\d)-(\d\d)$',
                r'--()(\d\d)(\d\d)$', r'--()(\d\d)-(\d\d)$'):
        m = re.match(pat, s)
        if m:
            y, mo, d = m.groups()
            if not y or y == '1604' or y == omit:
                return '--%s-%s' % (mo, d)
            return '%s-%s-%s' % (y, mo, d)
    return ''


def dump(card):
    out = ['card']
    n = card.contents.get('n', [None])[0]
    parts = ['', '', '', '', '']
    if n is not None:
        v = n.value
        parts = [flat(v.family), flat(v.given), flat(v.additional),
                 flat(v.prefix), flat(v.suffix)]
    fn = card.contents.get('fn', [None])[0]
    fn = fn.value if fn is not None else ''
    if not fn:
        fn = ' '.join(x for x in (parts[3], parts[1], parts[2], parts[0],
                                  parts[4]) if x)
    out.append('fn: ' + esc(fn))
    out.append('n: ' + '|'.join(esc(x) for x in parts))
    org = card.contents.get('org', [None])[0]
    out.append('org: ' + (esc(org.value[0]) if org is not None else ''))
    for t in card.contents.get('tel', []):
        ty, p = types_pref(t, False)
        out.append('tel: %s [%s] %d' % (esc(t.value.strip()), ty, p))
    for e in card.contents.get('email', []):
        ty, p = types_pref(e, True)
        out.append('email: %s [%s] %d' % (esc(e.value.strip()), ty, p))
    b = card.contents.get('bday', [None])[0]
    out.append('bday: ' + (bday(b) if b is not None else ''))
    cats = []
    for c in card.contents.get('categories', []):
        cats += [x.strip() for x in c.value if x.strip()]
    out.append('categories: ' + '|'.join(esc(x) for x in cats))
    notes = [x.value for x in card.contents.get('note', [])]
    out.append('note: ' + esc('\n'.join(notes)))
    uid = card.contents.get('uid', [None])[0]
    out.append('uid: ' + (esc(uid.value.strip()) if uid is not None else ''))
    return '\n'.join(out) + '\n'


def dump_file(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return ''.join(dump(c) for c in vobject.readComponents(f.read()))


def card(fn, n=None, org=None, tels=(), emails=(), bday=None, omit=None,
         cats=None, note=None, uid=None, photo=None):
    c = vobject.vCard()
    c.add('fn').value = fn
    c.add('n').value = vobject.vcard.Name(**(n or {}))
    if org:
        c.add('org').value = org
    for value, types, pref in tels:
        t = c.add('tel')
        t.value = value
        if types:
            t.type_paramlist = types
        if pref:
            t.params['PREF'] = [pref]
    for value, types in emails:
        e = c.add('email')
        e.value = value
        e.type_paramlist = types
    if bday:
        b = c.add('bday')
        b.value = bday
        if omit:
            b.x_apple_omit_year_param = omit
    if cats:
        c.add('categories').value = cats
    if note:
        c.add('note').value = note
    if uid:
        c.add('uid').value = uid
    if photo:
        p = c.add('photo')
        p.value = photo
        p.encoding_param = 'b'
        p.type_param = 'JPEG'
    return c


def contacts():
    return [
        card('Иван Петрович Петров',
             n=dict(family='Петров', given='Иван', additional='Петрович'),
             org=['ООО "Ромашка", Москва', 'Отдел продаж; опт'],
             tels=[('+7 912 345-67-89', ['CELL', 'pref'], None),
                   ('+7 495 123-45-67', ['WORK', 'VOICE'], None)],
             emails=[('ivan@example.ru', ['INTERNET', 'HOME']),
                     ('i.petrov@romashka.example', ['INTERNET', 'WORK', 'pref'])],
             bday='1985-04-12',
             cats=['Клиенты', 'VIP, золото', 'Москва'],
             note='Встреча на выставке, 2024; интересуется оптом.\n'
                  'Путь: C:\\Клиенты\\Петров\n'
                  'Очень длинная строка, чтобы vobject её свернул: ' + 'ё' * 60,
             uid='c1@crm.example.org'),
        card('Ing. Ľubomír Ďurčanský',
             n=dict(family='Ďurčanský', given='Ľubomír', prefix='Ing.'),
             org=['Žilinská mliekáreň, a.s.'],
             tels=[('+421 905 123 456', ['HOME'], '2'),
                   ('+421 41 562 11 11', ['WORK'], '1')],
             emails=[('lubo@example.sk', ['INTERNET'])],
             bday='--03-15',
             cats=['Slovensko'],
             note='Čučoriedky; šťava, ťava\\ďateľ'),
        card('Bjørn Ødegård',
             n=dict(family='Ødegård', given='Bjørn'),
             org=['Bærum Bakeri AS', 'Salg'],
             tels=[('+47 912 34 567', ['CELL'], None)],
             bday='1604-05-17', omit='1604',
             note='Blåbærsyltetøy, æøå ÆØÅ'),
        card('Dr. John Philip Paul Stevenson Jr. M.D.',
             n=dict(family='Stevenson', given='John',
                    additional=['Philip', 'Paul'], prefix='Dr.',
                    suffix=['Jr.', 'M.D.']),
             emails=[('john@example.com', ['INTERNET'])],
             bday='19531015T231000Z',
             photo=bytes(range(256)) * 8),
    ]


def main():
    if len(sys.argv) == 3 and sys.argv[1] == 'dump':
        sys.stdout.write(dump_file(sys.argv[2]))
        return
    if len(sys.argv) != 1:
        sys.exit('usage: make-vobject.py [dump FILE]')
    data = ''.join(c.serialize() for c in contacts())
    with open('vobject.vcf', 'w', encoding='utf-8', newline='') as f:
        f.write(data)
    with open('vobject.expect', 'w', encoding='utf-8', newline='') as f:
        f.write(dump_file('vobject.vcf'))


main()
