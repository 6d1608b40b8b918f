#!/bin/sh
# scripts/demo-data.sh DIR - write DIR/customers.csv and DIR/events.csv
# for a demo store: a few dozen customers with names in several
# languages and a few hundred events over the past year.  Dates are
# relative (-120d, +3d), which crm-log --import reads against today, so
# that the demo always has follow-ups due.  Deterministic: the same
# files every time.
set -eu
out=$1
mkdir -p "$out"

cat >"$out/customers.csv" <<'CSV'
id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,city
c1,Иван Петров,Уральский металлургический завод,ivan.petrov@umz.example,+7 343 210-44-01,anna,key,metallurgy,customer,exhibition,1971-03-14,steel;export,Екатеринбург
c2,Ольга Смирнова,Северсталь-Трейд,o.smirnova@sst.example,+7 812 555-12-12,anna,vip,metallurgy,customer,referral:c1,1980-11-25,steel,Санкт-Петербург
c3,Štefan Žilinský,Tatra Strojárne a.s.,zilinsky@tatra-stroj.example,+421 905 123 456,boris,key,machine-building,customer,web,1965-07-02,machines,Košice
c4,Kari Nordmann,Ølberg Maskin AS,kari@olberg.example,+47 22 33 44 55,eva,regular,machine-building,customer,exhibition,1984-12-01,,Trondheim
c5,Jürgen Müller,Müller Stahlbau GmbH,j.mueller@stahlbau.example,+49 30 1234567,boris,key,metallurgy,customer,cold call,,steel,Berlin
c6,Zuzana Kováčová,Kováč & syn s.r.o.,zuzana@kovac.example,+421 2 5555 1234,eva,regular,retail,customer,web,1990-11-27,,Bratislava
c7,Ingrid Bjørnstad,Fjord Logistikk AS,ingrid@fjordlog.example,+47 55 11 22 33,anna,regular,logistics,customer,referral:c4,,,Bergen
c8,Алексей Кузнецов,Кузнецов и партнёры,a.kuznetsov@kip.example,+7 495 777-00-11,boris,small,retail,customer,web,1988-02-29,,Москва
c9,"Peter O'Brien","Smith, Jones & Co.",peter@sjco.example,+44 20 7946 0018,anna,regular,machine-building,prospect,exhibition,,,London
c10,Marta Nováková,Novák Foods a.s.,marta@novakfoods.example,+420 602 111 222,eva,key,food,customer,referral:c6,1975-06-18,food,Brno
c11,Дмитрий Соколов,Сибирский прокат,sokolov@sibprokat.example,+7 383 200-30-40,anna,regular,metallurgy,customer,cold call,,steel,Новосибирск
c12,Ole Hansen,Hansen Verktøy AS,ole@hansenverktoy.example,+47 73 10 20 30,eva,small,machine-building,customer,web,,,Oslo
c13,Ľubomír Šťastný,Šťastný Transport s.r.o.,stastny@transport.example,+421 911 222 333,boris,regular,logistics,customer,exhibition,1969-01-30,,Žilina
c14,Анна Васильева,Волжский трубный завод,vasilieva@vtz.example,+7 8443 11-22-33,anna,key,metallurgy,customer,exhibition,,steel;pipes,Волжский
c15,Sigrid Å. Lunde,Lunde Mat AS,sigrid@lundemat.example,+47 51 00 11 22,eva,regular,food,customer,referral:c10,,,Stavanger
c16,Tomáš Horváth,Horváth Elektro,tomas@horvath.example,+421 948 765 432,boris,small,retail,lead,web,,,Nitra
c17,Елена Морозова,Морозов-Машиностроение,morozova@mmz.example,+7 351 700-80-90,anna,vip,machine-building,customer,referral:c2,1977-11-24,machines,Челябинск
c18,Bjørn Dæhlie,Dæhlie Sport AS,bjorn@daehlie.example,+47 90 12 34 56,eva,regular,retail,customer,exhibition,,,Lillehammer
c19,Katarína Hudáková,Hudák Agro,katarina@hudak.example,+421 905 999 888,boris,regular,food,inactive,cold call,,,Prešov
c20,Сергей Новиков,Новиков Логистик,novikov@nlog.example,+7 391 123-45-67,anna,small,logistics,lost,web,,,Красноярск
c21,Hanne Berg,Berg & Berg AS,hanne@bergberg.example,+47 67 89 01 23,eva,small,retail,customer,web,,,Drammen
c22,Milan Kučera,Kučera Kovy s.r.o.,kucera@kovy.example,+420 777 123 456,boris,key,metallurgy,customer,exhibition,1960-04-04,steel,Ostrava
c23,Татьяна Лебедева,Лебедев Фудс,lebedeva@lfoods.example,+7 861 222-33-44,anna,regular,food,customer,referral:c11,,,Краснодар
c24,Erik Solberg,Solberg Maskin AS,erik@solbergmaskin.example,+47 38 00 99 88,eva,regular,machine-building,prospect,exhibition,,,Kristiansand
c25,Jana Slováková,Slovák Textil,jana@slovaktextil.example,+421 33 123 4567,boris,small,retail,customer,web,,,Trnava
c26,Михаил Орлов,Орловский литейный завод,orlov@olz.example,+7 4862 55-66-77,anna,key,metallurgy,customer,cold call,1972-09-09,steel,Орёл
c27,Liv Ullmann-Strand,Strand Fisk AS,liv@strandfisk.example,+47 77 60 50 40,eva,regular,food,customer,referral:c15,,,Tromsø
c28,Pavol Hrušovský,Hrušovský Stavby,hrusovsky@stavby.example,+421 902 333 444,boris,regular,machine-building,customer,exhibition,,,Banská Bystrica
c29,Наталья Федорова,Федоров Ритейл,fedorova@fretail.example,+7 343 900-10-20,anna,small,retail,customer,web,,,Пермь
c30,Aksel Lind,Lind Transport AS,aksel@lindtransport.example,+47 69 10 11 12,eva,small,logistics,customer,web,,,Fredrikstad
c31,Veronika Černá,Černá Chemie,cerna@chemie.example,+420 608 999 000,boris,regular,chemicals,customer,exhibition,,,Plzeň
c32,Игорь Волков,Волков Химпром,volkov@vhim.example,+7 843 300-40-50,anna,regular,chemicals,customer,referral:c26,,,Казань
c33,Nora Eikeland,Eikeland Bygg AS,nora@eikeland.example,+47 56 78 90 12,eva,key,machine-building,customer,exhibition,,machines,Haugesund
c34,Róbert Szabó,Szabó Logistik,szabo@logistik.example,+421 907 111 000,boris,small,logistics,lead,cold call,,,Komárno
c35,Юлия Зайцева,Зайцев Маркет,zaitseva@zmarket.example,+7 473 250-60-70,anna,small,retail,customer,web,,,Воронеж
c36,Mats Haugen,Haugen Stål AS,mats@haugenstal.example,+47 35 55 66 77,eva,regular,metallurgy,customer,referral:c33,,steel,Skien
CSV

# Events: each customer gets a past of contacts and purchases; the
# last contact agrees the next one, some of them already overdue.
awk -F, 'NR > 1 {
	# A quoted field may hold commas: count it as one field.
	gsub(/"[^"]*"/, "q")
	n++
	id[n] = $1
	own[n] = $6
	tier[n] = $7
	stage[n] = $9
}
END {
	seed = 20261123
	split("call,email,meeting,visit,message,offer", contact, ",")
	split("phone,email,office,site,messenger,email", channel, ",")
	split("interested,asked for a quote,no answer,agreed,postponed,ordered", outcome, ",")
	split("send the offer|call about the delivery|meeting on the contract|" \
	    "check the payment|present the new catalogue|ask for feedback", action, "|")
	split("Asked about the prices for Q1, wants a discount|" \
	    "Discussed delivery terms; \"urgent\" order possible|" \
	    "Sent the catalogue and the price list|" \
	    "Visited the plant, met the chief engineer|" \
	    "Вопрос по срокам поставки, просит перезвонить|" \
	    "Ønsker et nytt tilbud på levering i januar|" \
	    "Chcú zľavu pri väčšom odbere|" \
	    "Complained about a late delivery\nPromised a credit note", note, "|")
	print "date,customer,type,channel,amount,outcome,next,next_action,by,note"
	for (i = 1; i <= n; i++) {
		owner = own[i]
		if (stage[i] == "lead" || stage[i] == "prospect")
			npurch = 0
		else
			npurch = (tier[i] == "vip") ? 10 : (tier[i] == "key") ? 7 : (tier[i] == "regular") ? 4 : 2
		day = 360
		for (k = 0; k < npurch; k++) {
			seed = (seed * 1103515245 + 12345) % 2147483648
			day -= 20 + int(seed / 65536) % 40
			if (day < 10) break
			r = int(seed / 65536)
			amt = (tier[i] == "vip" ? 9000 : tier[i] == "key" ? 4000 : 800) + r % 3000
			printf "-%dd,%s,purchase,shop,%d.%02d,,,,shop,\n", day, id[i], amt, int(r / 4096) % 100
		}
		ncontact = 3 + i % 4
		day = 200
		for (k = 1; k <= ncontact; k++) {
			seed = (seed * 1103515245 + 12345) % 2147483648
			day -= 10 + int(seed / 65536) % 50
			if (day < 1) day = 1
			r = int(seed / 65536)	# the low bits of an LCG repeat
			t = 1 + r % 6
			nt = note[1 + int(r / 8) % 8]
			gsub(/"/, "\"\"", nt)
			gsub(/\\n/, "\n", nt)
			if (k == ncontact && stage[i] != "lost") {
				nx = -5 + int(r / 64) % 16
				if (nx < -day) nx = -day
				printf "-%dd,%s,%s,%s,,%s,%+dd,%s,%s,\"%s\"\n", day, id[i],
				    contact[t], channel[t], outcome[t], nx, action[1 + int(r / 1024) % 6], owner, nt
			} else
				printf "-%dd,%s,%s,%s,,%s,,,%s,\"%s\"\n", day, id[i],
				    contact[t], channel[t], outcome[t], owner, nt
		}
		if (i % 9 == 0)
			printf "-1d,%s,complaint,phone,,delivery late,,,%s,\"Goods arrived damaged, wants a replacement\"\n", id[i], owner
	}
	printf "-30d,c20,churn,phone,,moved to a competitor,,,anna,\"Found a cheaper supplier\"\n"
}' "$out/customers.csv" >"$out/events.csv"
