//! Name pools by culture: display names with accents, apostrophes, Cyrillic and CJK, each
//! paired with the ASCII spelling people use in their email address.
//!
//! Pools are written as `Display=ascii|Display=ascii` strings to keep them compact.

/// One naming culture: its names, how a full name is written, and its locale.
pub struct Culture {
    given: &'static str,
    family: &'static str,
    /// Whether the family name comes first in the full name (East Asian, Vietnamese).
    family_first: bool,
    /// Whether the full name is written without a space (Chinese, Korean).
    no_space: bool,
    pub locale: &'static str,
    /// How often this culture is drawn, out of the sum of all weights.
    pub weight: u64,
}

/// A name as displayed and as typed into an email address.
pub type Name = (&'static str, &'static str);

impl Culture {
    pub fn given_names(&self) -> Vec<Name> {
        pool(self.given)
    }

    pub fn family_names(&self) -> Vec<Name> {
        pool(self.family)
    }

    /// The full display name of a person of this culture.
    pub fn full_name(&self, given: &str, family: &str) -> String {
        let (first, second) = if self.family_first {
            (family, given)
        } else {
            (given, family)
        };
        let space = if self.no_space { "" } else { " " };
        format!("{first}{space}{second}")
    }
}

fn pool(text: &'static str) -> Vec<Name> {
    text.split('|')
        .map(|entry| {
            entry
                .split_once('=')
                .expect("pool entries are Display=ascii")
        })
        .collect()
}

const fn western(
    given: &'static str,
    family: &'static str,
    locale: &'static str,
    weight: u64,
) -> Culture {
    Culture {
        given,
        family,
        family_first: false,
        no_space: false,
        locale,
        weight,
    }
}

pub const CULTURES: &[Culture] = &[
    western(
        "James=james|Emily=emily|Michael=michael|Sarah=sarah|David=david|Olivia=olivia|\
         Daniel=daniel|Grace=grace|Thomas=thomas|Hannah=hannah|Jack=jack|Chloe=chloe",
        "Smith=smith|Johnson=johnson|Brown=brown|Taylor=taylor|Wilson=wilson|Clarke=clarke|\
         Walker=walker|Wright=wright|Hughes=hughes|Evans=evans|Robinson=robinson|Hall=hall",
        "en-US",
        34,
    ),
    western(
        "Siobhán=siobhan|Seán=sean|Niamh=niamh|Aoife=aoife|Ciarán=ciaran|Róisín=roisin|\
         Pádraig=padraig",
        "O'Brien=obrien|O'Connor=oconnor|Ó Súilleabháin=osullivan|Murphy=murphy|Kelly=kelly|\
         McCarthy=mccarthy|O'Neill=oneill",
        "en-IE",
        8,
    ),
    western(
        "José=jose|María=maria|Lucía=lucia|Andrés=andres|Sofía=sofia|Javier=javier|Inés=ines",
        "García=garcia|Martínez=martinez|López=lopez|Pérez=perez|Núñez=nunez|\
         Fernández=fernandez|Ibáñez=ibanez",
        "es-ES",
        10,
    ),
    western(
        "François=francois|Chloé=chloe|Hélène=helene|Jérôme=jerome|Amélie=amelie|Loïc=loic|\
         Noémie=noemie",
        "Lefèvre=lefevre|Dubois=dubois|Girard=girard|Bélanger=belanger|D'Arcy=darcy|\
         Moreau=moreau|Lemaître=lemaitre",
        "fr-FR",
        8,
    ),
    western(
        "Jürgen=juergen|Zoë=zoe|Günther=guenther|Lena=lena|Jörg=joerg|Mia=mia|Käthe=kaethe",
        "Müller=mueller|Schröder=schroeder|Groß=gross|Weiß=weiss|Becker=becker|\
         Köhler=koehler|Fuchs=fuchs",
        "de-DE",
        9,
    ),
    western(
        "Søren=soren|Åsa=asa|Łukasz=lukasz|Małgorzata=malgorzata|Björn=bjorn|Zofia=zofia|\
         Ingrid=ingrid",
        "Østergaard=ostergaard|Wójcik=wojcik|Kowalski=kowalski|Lindström=lindstrom|\
         Nowak=nowak|Sørensen=sorensen|Żak=zak",
        "pl-PL",
        7,
    ),
    western(
        "Giuseppe=giuseppe|Chiara=chiara|Niccolò=niccolo|Federica=federica|Lorenzo=lorenzo",
        "D'Angelo=dangelo|Rossi=rossi|Esposito=esposito|Dell'Acqua=dellacqua|Bianchi=bianchi",
        "it-IT",
        6,
    ),
    western(
        "Олександр=oleksandr|Олена=olena|Дмитро=dmytro|Ірина=iryna|Андрій=andrii|Юлія=yuliia",
        "Шевченко=shevchenko|Коваленко=kovalenko|Бондаренко=bondarenko|Ткачук=tkachuk|\
         Мельник=melnyk|Кравець=kravets",
        "uk-UA",
        6,
    ),
    Culture {
        given: "太郎=taro|花子=hanako|翔=sho|結衣=yui|大輔=daisuke",
        family: "山田=yamada|佐藤=sato|鈴木=suzuki|高橋=takahashi|渡辺=watanabe",
        family_first: true,
        no_space: false,
        locale: "ja-JP",
        weight: 5,
    },
    Culture {
        given: "芳=fang|伟=wei|静=jing|磊=lei|秀英=xiuying",
        family: "王=wang|李=li|张=zhang|陈=chen|刘=liu",
        family_first: true,
        no_space: true,
        locale: "zh-CN",
        weight: 5,
    },
    Culture {
        given: "민준=minjun|서연=seoyeon|지호=jiho|하은=haeun",
        family: "김=kim|이=lee|박=park|최=choi",
        family_first: true,
        no_space: true,
        locale: "ko-KR",
        weight: 4,
    },
    Culture {
        given: "Ngọc Anh=ngocanh|Minh=minh|Thảo=thao|Đức=duc",
        family: "Nguyễn=nguyen|Trần=tran|Phạm=pham|Lê=le",
        family_first: true,
        no_space: false,
        locale: "vi-VN",
        weight: 4,
    },
];

/// Email domains of ordinary users; all reserved for documentation (RFC 2606, RFC 6761).
pub const DOMAINS: &[&str] = &["example.com", "example.org", "example.net", "mail.example"];

/// The domain of the company's own staff.
pub const STAFF_DOMAIN: &str = "acme.example";

/// Customer organisations that ordinary users belong to (`app_metadata.tenant`).
pub const TENANTS: &[&str] = &["northwind", "globex", "initech", "umbrella", "hooli"];
