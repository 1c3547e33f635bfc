//! A synthetic news corpus for benchmarks: articles in Dutch and English written from
//! the project's own templates, with places, dates and counts drawn from the
//! gazetteer by a fixed-seed generator, so that the same size gives the same bytes.

use clashmap::gazetteer::{Gazetteer, PlaceKind};

const NL: &[&str] = &[
    "De taliban hebben {day} aanvallen uitgevoerd op {city} en {city2}. Daarbij kwamen {num} soldaten om het leven, meldt het ministerie van Defensie. Volgens de regering in Kaboel zijn de aanvallers verdreven.",
    "Bij een zelfmoordaanslag in {city} zijn {day} zeker {num} mensen om het leven gekomen. Tientallen anderen raakten gewond. Niemand heeft de aanslag opgeëist.",
    "Een bermbom heeft {day} in de provincie {province} {num} militairen gedood. De politie onderzoekt de zaak.",
    "In het district {district} in de provincie {province} woedden {day} zware gevechten tussen talibanstrijders en regeringstroepen. Er vielen {num} doden aan de kant van de taliban.",
    "Onbekende schutters hebben {day} in {city} een journalist doodgeschoten. Het is de derde aanslag op een journalist dit jaar.",
    "De Amerikaanse gezant is {day} in Kaboel aangekomen voor nieuwe gesprekken over een vredesakkoord. De onderhandelingen duren al maanden.",
    "Bij een luchtaanval van de Amerikaanse strijdkrachten in {province} zijn {day} volgens lokale bronnen {num} burgers omgekomen.",
    "Honderden mensen demonstreerden {day} in {city} tegen het geweld. De betoging verliep rustig.",
];

const EN: &[&str] = &[
    "Taliban militants attacked a checkpoint in {city} on {wday}, killing {num} soldiers and wounding {num2}, officials said. The attackers fled after a two-hour gunfight.",
    "A suicide bomber killed at least {num} people in {city} on {wday}, the interior ministry said. No group has claimed responsibility for the attack.",
    "On {date}, Taliban militants attacked Afghan military posts, killing {num} soldiers, in {district} district, {province} province.",
    "Afghan air force airstrikes killed {num} Taliban fighters in {district} district of {province} province on {wday}, the defence ministry said.",
    "Gunmen abducted {num} aid workers in {city} on {wday}. Their whereabouts are unknown, a provincial spokesman said.",
    "A roadside bomb wounded {num} policemen in {city} on {wday}. No one was killed in the blast, police said.",
    "US envoy Zalmay Khalilzad arrived in Kabul on {wday} for talks with Afghan officials about the peace agreement.",
    "Hundreds of people protested in {city} on {wday} against the killing of civilians.",
];

/// Background paragraphs: what news articles carry besides their events (politics,
/// talks, history, quotes), which the extractor must read and leave alone.
const NL_BACKGROUND: &[&str] = &[
    "De onderhandelingen tussen de Verenigde Staten en de taliban in Qatar leken de afgelopen tijd in een stroomversnelling te komen. Naar verluidt zouden de twee partijen het bijna eens zijn over een tijdschema voor de terugtrekking van de Amerikaanse troepen.",
    "De Afghaanse regering beziet de gesprekken met het nodige wantrouwen, ook al omdat de taliban tot nog toe hebben geweigerd met de regering in Kaboel te praten. Als een akkoord bereikt wordt, moeten de partijen overeenstemming vinden over machtsdeling.",
    "De Verenigde Staten vielen Afghanistan in 2001 binnen na de aanslagen van 11 september, maar na achttien jaar zijn de taliban lang niet verslagen. De afgelopen jaren hebben zij bijna de helft van het land weer in handen gekregen.",
    "Volgens analisten is het geweld een poging van de opstandelingen om hun onderhandelingspositie te versterken. De president riep alle partijen op tot kalmte en beloofde een onderzoek naar de gebeurtenissen.",
    "Hulporganisaties waarschuwen voor de gevolgen voor de bevolking. Duizenden gezinnen zijn de afgelopen maanden op de vlucht geslagen en leven in kampen rond de grote steden, waar het aan voedsel en medicijnen ontbreekt.",
];

const EN_BACKGROUND: &[&str] = &[
    "Talks between the United States and the Taliban in Qatar appeared to be nearing a deal that would see the withdrawal of American troops in exchange for security guarantees. Afghan officials have complained that they were excluded from the negotiations.",
    "The Taliban have refused to negotiate directly with the government in Kabul, which they regard as a puppet of Washington. Diplomats say a ceasefire remains the main obstacle to an agreement.",
    "The United States invaded Afghanistan in 2001 after the September 11 attacks, toppling the Taliban government. Since then the group has regained control of large parts of the countryside.",
    "Analysts said the violence was an attempt by the insurgents to strengthen their hand at the negotiating table. The president called for calm and promised an investigation into the incident.",
    "Aid agencies warned of the consequences for civilians. Thousands of families have fled their homes in recent months and live in camps around the main cities, where food and medicine are scarce.",
];

const NL_DAYS: &[&str] = &[
    "zaterdag",
    "zondag",
    "gisteren",
    "vannacht",
    "dit weekend",
    "vorige week",
    "maandag",
];
const EN_DAYS: &[&str] = &[
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
];
const NL_NUMS: &[&str] = &[
    "twee",
    "drie",
    "vijf",
    "zeven",
    "twaalf",
    "eenentwintig",
    "tientallen",
    "16",
    "24",
];

/// A deterministic pseudo-random sequence (PCG-style LCG).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Generated articles: (id, text in the sample format), about `total_bytes` in all.
#[allow(dead_code)]
pub fn articles(g: &Gazetteer, total_bytes: usize, seed: u64) -> Vec<(String, String)> {
    let mut out = Vec::new();
    generate(g, total_bytes, seed, &mut |id, text| out.push((id, text)));
    out
}

/// Generates articles one by one, handing each to `sink` (constant memory).
pub fn generate(
    g: &Gazetteer,
    total_bytes: usize,
    seed: u64,
    sink: &mut dyn FnMut(String, String),
) {
    let af = |k: &dyn Fn(PlaceKind) -> bool| -> Vec<String> {
        g.places()
            .iter()
            .filter(|p| p.country_code == "AF" && k(p.kind))
            .map(|p| p.ascii_name.clone())
            .filter(|n| !n.is_empty())
            .collect()
    };
    let cities = af(&|k| matches!(k, PlaceKind::City | PlaceKind::Capital | PlaceKind::Town));
    let provinces = af(&|k| k == PlaceKind::Province);
    let districts = af(&|k| k == PlaceKind::District);
    let mut rng = Rng::new(seed);
    let mut size = 0;
    let mut n = 0;
    while size < total_bytes {
        let dutch = rng.below(2) == 0;
        let (year, month, day) = (2018 + rng.below(4), 1 + rng.below(12), 1 + rng.below(28));
        let mut text = format!(
            " date {year}-{month:02}-{day:02} {}\n",
            if dutch {
                "Nieuws uit Afghanistan"
            } else {
                "News from Afghanistan"
            }
        );
        let paragraphs = 6 + rng.below(6);
        for k in 0..paragraphs {
            // about one paragraph in three reports an event, as in the sample articles
            if k > 0 && rng.below(3) != 0 {
                let b = if dutch { NL_BACKGROUND } else { EN_BACKGROUND };
                text.push_str(b[rng.below(b.len())]);
                text.push_str("\n\n");
                continue;
            }
            let t = if dutch {
                NL[rng.below(NL.len())]
            } else {
                EN[rng.below(EN.len())]
            };
            let mut s = t.to_string();
            for (slot, pool) in [
                ("{city}", &cities),
                ("{city2}", &cities),
                ("{province}", &provinces),
                ("{district}", &districts),
            ] {
                while s.contains(slot) {
                    s = s.replacen(slot, &pool[rng.below(pool.len())], 1);
                }
            }
            let num = if dutch {
                NL_NUMS[rng.below(NL_NUMS.len())].to_string()
            } else {
                (2 + rng.below(40)).to_string()
            };
            s = s
                .replace("{num}", &num)
                .replace("{num2}", &(1 + rng.below(9)).to_string());
            s = s
                .replace("{day}", NL_DAYS[rng.below(NL_DAYS.len())])
                .replace("{wday}", EN_DAYS[rng.below(EN_DAYS.len())]);
            s = s.replace("{date}", &format!("{} September {year}", 1 + rng.below(28)));
            text.push_str(&s);
            text.push_str("\n\n");
        }
        size += text.len();
        sink(format!("gen-{n:07}.txt"), text);
        n += 1;
    }
}
