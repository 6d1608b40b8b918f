#!/usr/bin/python3
"""make-bytes.py - the vCard fixtures whose bytes matter, written exactly.

Run from tests/data/vcard; the files are committed.

  charsets-21.vcf  vCard 2.1 in windows-1251, KOI8-R, ISO-8859-1 and
                   ISO-8859-2 (8-bit and quoted-printable), as old phones
                   and Outlook wrote them
  folding.vcf      folds everywhere: in a name, in a parameter, inside a
                   UTF-8 character, with a tab; LF and CRLF mixed; blank
                   and blank-looking lines between cards
  bom.vcf          a UTF-8 byte-order mark, LF line ends (Notepad)
  utf16.vcf        UTF-16LE with its mark (some Windows tools)
"""


def qp(b, width=60):
    """Quoted-printable as vCard 2.1 writers do it, with soft breaks."""
    out, line = [], ''
    for byte in b:
        c = chr(byte)
        enc = c if 33 <= byte <= 126 and c not in '=' else '=%02X' % byte
        if byte == 32:
            enc = ' '
        if len(line) + len(enc) > width:
            out.append(line + '=')
            line = ''
        line += enc
    out.append(line)
    return '\r\n'.join(out).encode('ascii')


def crlf(*lines):
    return b''.join(x + b'\r\n' for x in lines)


def charsets():
    w = lambda s: s.encode('windows-1251')
    k = lambda s: s.encode('koi8-r')
    l1 = lambda s: s.encode('iso-8859-1')
    l2 = lambda s: s.encode('iso-8859-2')
    return crlf(
        b'BEGIN:VCARD',
        b'VERSION:2.1',
        b'N;CHARSET=windows-1251:' + w('Петров;Иван;Петрович;;'),
        b'FN;CHARSET=WINDOWS-1251:' + w('Иван Петров'),
        b'ORG;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:' +
        qp(w('ООО «Ромашка», Москва;Отдел продаж')),
        b'TEL;CELL;PREF:+7 912 345-67-89',
        b'NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1251:' +
        qp(w('Звонить после обеда,\r\nпо вторникам и четвергам; не раньше 14:00.')),
        b'END:VCARD',
        b'BEGIN:VCARD',
        b'VERSION:2.1',
        b'N;CHARSET=KOI8-R:' + k('Сидорова;Анна;;;'),
        b'FN;CHARSET=koi8-r:' + k('Анна Сидорова'),
        b'CATEGORIES;CHARSET=KOI8-R:' + k('Друзья,Семья'),
        b'END:VCARD',
        b'BEGIN:VCARD',
        b'VERSION:2.1',
        b'N;CHARSET=ISO-8859-1:' + l1('Ødegård;Bjørn;;;'),
        b'FN;CHARSET=ISO-8859-1:' + l1('Bjørn Ødegård'),
        b'ORG;CHARSET=iso-8859-1:' + l1('Bærum Bakeri AS'),
        b'END:VCARD',
        b'BEGIN:VCARD',
        b'VERSION:2.1',
        b'N;CHARSET=ISO-8859-2:' + l2('Ďurčanský;Ľubomír;;Ing.;'),
        b'FN;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:' +
        qp(l2('Ing. Ľubomír Ďurčanský')),
        b'NOTE;CHARSET=ISO-8859-2:' + l2('Žilina, Košice; Trenčín'),
        b'END:VCARD',
        b'BEGIN:VCARD',
        b'VERSION:2.1',
        b'N;CHARSET=UTF-8:' + 'Novák;Ján;;;'.encode(),
        b'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:' + qp('Ján Novák'.encode()),
        b'END:VCARD',
    )


def folding():
    fn = 'Иван Петров'.encode()
    return (
        b'\r\n  \r\n'
        b'BEGIN:VCARD\r\n'
        b'VERSION:3.0\r\n'
        # inside a UTF-8 character (RFC 6350 says not to; some do)
        b'FN:' + fn[:5] + b'\r\n ' + fn[5:] + b'\r\n'
        b'N:\xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2;\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd;;;\r\n'
        # in the name, in a parameter, in the value
        b'TE\r\n L;TY\r\n PE=ce\r\n ll:+7 912\r\n  345-67-89\r\n'
        b'NO\r\n TE:one two \r\n\tthree\\\r\n n four\r\n'
        b'END:VCARD\r\n'
        b'\r\n'
        b'\r\n'
        b'BEGIN:VCARD\n'
        b'VERSION:3.0\n'
        b'FN:Line feeds\n'
        b'N:feeds;Line;;;\n'
        b'EMAIL;TYPE=INTERNET:a@\n'
        b' example.com\n'
        b'END:VCARD\n'
        b'  \t\n'
        b'BEGIN:VCARD\r'
        b'VERSION:3.0\r'
        b'FN:Carriage\r'
        b'  returns\r'
        b'END:VCARD\r'
    )


def main():
    files = {
        'charsets-21.vcf': charsets(),
        'folding.vcf': folding(),
        'bom.vcf': '\ufeffBEGIN:VCARD\nVERSION:3.0\nFN:Zoë Brontë\n'
                   'N:Brontë;Zoë;;;\nEND:VCARD\n'.encode(),
        'utf16.vcf': ('\ufeffBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Łukasz Żółć\r\n'
                      'N:Żółć;Łukasz;;;\r\nTEL;TYPE=CELL:+48 600 000 000\r\n'
                      'END:VCARD\r\n').encode('utf-16-le'),
    }
    for name, data in files.items():
        with open(name, 'wb') as f:
            f.write(data)


main()
