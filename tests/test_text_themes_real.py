"""Theme precision on real sentences, hand-checked: 60 random Italian hotel-review sentences (ABSITA 2018)
and 60 random English review sentences (UCI, Amazon + Yelp), drawn with ``DataFrame.sample(60,
random_state=23)`` from ``../shared/datasets/comments/`` (IMDB film reviews left out: not customer comments).

The sentences themselves are not copied here: the datasets' licences do not allow shipping them (see their
README), so the test reads them from the shared folder and is skipped where it is absent. Each sentence is
identified by its id (Italian ``sentence_id``, English row number) and the first characters of its text,
checked, so a changed file fails loudly instead of silently scoring other sentences.

``EXPECTED`` = the themes of the default taxonomy a reader assigns to the sentence (hand-checked), ""
when none fits. Precision = share of the themes cxlab assigns that are in the expected set.

Three draws per language, each of 60 sentences not in the earlier draws, with every sentence's expected
themes written down (a theme a reader would assign, "" when none fits; complaints about a broken or poor
facility, product or meal are product_quality):

1. ``random_state=23`` (round 1). The rules were corrected after reading its errors ("a pagamento" is not
   billing, "go back" is not a return, "on time" is not delivery without a delivery word, "friendly
   setting" is not staff): its figure is optimistic.
2. ``random_state=99`` (round 2), checked by hand *before* any change: Italian 21/27 = 0.78, English
   10/13 = 0.77, below the 0.85 target. Its errors were word-sense traps that were then fixed as general
   rules, not per sentence: a slow Wi-Fi or connection is not a waiting time, "rispondono alle
   aspettative" (meets expectations) is not a response, "servizio/set cortesia" (courtesy kit) and "la rete
   tra quelle disponibili" are not staff... (see the excludes in themes.yaml), "a place well organised" is
   not staff, "fails to deliver" is not delivery, "holds a charge" is not billing. Optimistic too, since.
3. ``random_state=7`` (round 2), drawn and checked by hand *after* those fixes, with no rule changed for
   it: the honest, held-out figure. Italian 21/23 = 0.91 (wrong: "consegnati i buoni colazione" as
   delivery, "rete tra quelle disponibili" as staff), English 12/14 = 0.86 (wrong: "Bad Reception" of a
   phone as staff, "very convenient" as price).

Each draw must reach 0.85 on its own. The English samples leave out the IMDB film reviews (not customer
comments); the draws 2 and 3 are taken from the rows not in the earlier draws.
"""

from __future__ import annotations

import pandas as pd
import pytest
from shared_data import DATASETS

from cxlab.text import detect_themes

DATA = DATASETS / "comments"

# id: (first characters of the text, expected themes)
EXPECTED_IT: dict[int, tuple[str, str]] = {
    1240351546: ("Stanza piccola", ""),
    1240349210: ("Le luci in", ""),
    1240349953: ("La posizione e gli", ""),
    1240346326: ("Staff gentilissimo", "staff_attitude"),
    1240347069: ("Lo stabile", ""),
    1240346827: ("Arredamento datato", ""),
    1240351534: ("Wifi solo", ""),
    1240346899: ("Hotel in ottima", ""),
    1240345111: ("Ambiente internazionale", ""),
    1240349399: ("Ho notato una", ""),
    1240346415: ("Moderna struttura", ""),
    1240350681: ("Letto comodo", ""),
    1240346678: ("Gentile e sorridente", "staff_attitude"),
    1240347321: ("Pastiera e frutta", ""),
    1240348546: ("In questo ostello", "staff_attitude"),
    1240348695: ("Check in, stanza", "staff_attitude"),
    1240343293: ("Camera pulita, acc", ""),
    1240350443: ("La posizione ottima", ""),
    1240346129: ("la stanza assegnata", ""),
    1240343809: ("In stanza c era", ""),
    1240343375: ("il mancato", ""),
    1240349587: ("La pulizia lascia", ""),
    1240349850: ("le camere del piano", ""),
    1240347486: ("Camera spaziosa", "price_value"),
    1240343391: ("Parcheggio a pagamento", "price_value"),
    1240345893: ("LA COLAZIONE SCARSA", "product_quality"),
    1240349000: ("La camera era un", ""),
    1240350807: ("La posizione davvero", ""),
    1240350678: ("Ambiente moderno", ""),
    1240350276: ("Qualità del sonno", "product_quality"),
    1240343858: ("pulito, comodo", ""),
    1240344467: ("Ho trovato uno", ""),
    1240348562: ("LA CAMERA SPOGLIA", ""),
    1240347389: ("Bagno da", ""),
    1240348243: ("Il centro antico", ""),
    1240348481: ("Colazione super", ""),
    1240344300: ("Personale gentile", "staff_attitude"),
    1240345632: ("Ci siamo trovati", ""),
    1240350806: ("Le signorine", "staff_attitude"),
    1240348065: ("Nei miei", ""),
    1240347158: ("L'unica difficoltà", ""),
    1240343134: ("il bagno ,il terrazzo", "staff_attitude"),
    1240345101: ("Nella mia esperienza", ""),
    1240347035: ("Posizione eccezionale", ""),
    1240349528: ("Segnale Wi fi", "product_quality"),
    1240343847: ("non vale il prezzo", "price_value"),
    1240346982: ("Abbiamo pagato", "price_value"),
    1240346553: ("Camera calda", ""),
    1240350545: ("posizione, pulizia", ""),
    1240346695: ("Non c'è riscaldamento", ""),
    1240349486: ("Colazione con cornetti", ""),
    1240343952: ("Parcheggio molto comodo", ""),
    1240348545: ("Bisogna specificare", ""),
    1240346171: ("Buona la colazione e lo staff", "staff_attitude"),
    1240350213: ("L hotel va bene", ""),
    1240347897: ("Non mi è piaciuto", ""),
    1240347011: ("Letto e materasso", ""),
    1240345098: ("Nonostante l'essenzialità", ""),
    1240343602: ("Comodo, arrivando", ""),
    1240346198: ("In estate", ""),
}
EXPECTED_EN: dict[int, tuple[str, str]] = {
    1945: ("The chipolte", ""),
    912: ("It always cuts out", "product_quality"),
    1069: ("A great way", ""),
    517: ("I received my orders", "delivery"),
    1135: ("Great Subway", ""),
    775: ("Great bluetooth", ""),
    314: ("The battery is unreliable", "product_quality"),
    914: ("My phone sounded OK", "product_quality"),
    927: ("but it is great", ""),
    1813: ("It was packed", ""),
    1581: ("Over rated", ""),
    1115: ("Check it out", ""),
    1676: ("I can't wait", ""),
    894: ("This product is very", "product_quality"),
    932: ("[...] down the drain", "product_quality"),
    135: ("The majority of the Logitech", "product_quality"),
    24: ("I bought it for my mother", "product_quality"),
    785: ("This allows the possibility", ""),
    547: ("Trying to make a call", ""),
    905: ("Not nearly as good", ""),
    865: ("Would recommend", ""),
    810: ("Improper description", "returns_refunds"),
    1459: ("We loved the place", ""),
    1914: ("I'm not impressed", ""),
    1251: ("There is nothing", ""),
    260: ("Good product", "product_quality;price_value"),
    1275: ("I've had better", ""),
    567: ("Great it was new", "delivery"),
    1585: ("Great food and great service", "staff_attitude"),
    369: ("I was looking for", ""),
    1683: ("Very good food", ""),
    766: ("But now that it is", "returns_refunds;product_quality"),
    1337: ("The burger", ""),
    668: ("Much less than", ""),
    925: ("Motorola finally", "product_quality"),
    842: ("Terrible.. My car", ""),
    541: ("I've missed numerous", ""),
    1402: ("I don't have to be", ""),
    411: ("I highly recommend", ""),
    197: ("Bad Choice", ""),
    317: ("This is definitely", ""),
    793: ("I bought this battery", ""),
    186: ("Design Flaw", "product_quality"),
    1313: ("Never going back", ""),
    1299: ("The food was excellent", ""),
    1753: ("We were sat right", "staff_attitude"),
    1832: ("No one at the table", "waiting_time"),
    767: ("I really wanted", "product_quality"),
    945: ("It is easy to turn", ""),
    1806: ("I could eat", ""),
    268: ("Don't waste your money", "price_value"),
    46: ("Who in their right mind", ""),
    1970: ("I immediately said", "staff_attitude"),
    271: ("Worked perfectly", ""),
    473: ("Great software", ""),
    1784: ("The chains", ""),
    1176: ("The service here", ""),
    701: ("You can't beat the price", "price_value"),
    164: ("I still maintain", ""),
    17: ("So Far So Good", ""),
}


EXPECTED_IT_2: dict[int, tuple[str, str]] = {
    1240343922: ("Camera con vista T", ""),
    1240345275: ("Camere un po' picc", ""),
    1240347923: ("Il personale è alt", "staff_attitude"),
    1240348094: ("L'albergo e molto", ""),
    1240343279: ("Posto tranquillo,", "staff_attitude"),
    1240345920: ("La colazione non e", ""),
    1240351779: ("La pulizia scarsa", ""),
    1240346479: ("Parcheggio con tar", "price_value"),
    1240349080: ("Lo scarico del bid", "product_quality"),
    1240349798: ("Wi Fi lento , il b", "product_quality"),
    1240351804: ("WIFI gratuito molt", "product_quality"),
    1240343345: ("Posizione ottima d", "staff_attitude"),
    1240346046: ("Buon punto di part", ""),
    1240350464: ("Gli arredi e la mo", ""),
    1240345228: ("La colazione era p", "price_value;product_quality"),
    1240348829: ("Personale gentile", "staff_attitude"),
    1240346935: ("da rimodernare è m", ""),
    1240348263: ("Gli interni genera", ""),
    1240350684: ("abbiamo pagato tro", "price_value"),
    1240344087: ("Ambiente mediament", ""),
    1240350549: ("Vicinissimo alla s", ""),
    1240348389: ("La posizione ottim", ""),
    1240343285: ("Stanza con evident", "price_value;product_quality"),
    1240350945: ("Ambiente circostan", ""),
    1240348869: ("Lo staff molto cor", "staff_attitude"),
    1240350068: ("stanza privo di un", ""),
    1240351368: ("colazione molto bu", ""),
    1240343569: ("Consiglio comodo c", "staff_attitude"),
    1240345009: ("Personale malfidat", "staff_attitude"),
    1240346206: ("Molti rumori si av", ""),
    1240347007: ("Struttura organizz", ""),
    1240351558: ("Camere ampie, puli", "staff_attitude"),
    1240349359: ("posizione,original", "price_value"),
    1240345168: ("Arredamento un po'", ""),
    1240344049: ("Seppur breve, il s", ""),
    1240342358: ("Personale giovane", "staff_attitude"),
    1240346119: ("Ottima la posizion", "staff_attitude"),
    1240345975: ("la colazione non e", "product_quality"),
    1240349885: ("La terrazza panora", ""),
    1240347909: ("Colazione buona e", ""),
    1240349235: ("non ha parcheggio", ""),
    1240350264: ("Posizione ottima p", ""),
    1240349590: ("inesistente il ser", ""),
    1240346102: ("Colazione più che", "product_quality"),
    1240350755: ("La struttura è pes", "product_quality"),
    1240351400: ("posizione eccellen", ""),
    1240351810: ("Pulizia e confort", ""),
    1240351644: ("Bisognava registra", ""),
    1240344584: ("I servizi sono min", "product_quality"),
    1240344043: ("I bagni non erano", ""),
    1240351084: ("Ottima posizione,", "price_value;staff_attitude"),
    1240344490: ("Internet wifi in c", ""),
    1240350798: ("Qualche cura in pi", "product_quality"),
    1240351570: ("Il ristorante prep", ""),
    1240349919: ("Tutto  Il pe", "staff_attitude"),
    1240349048: ("Camera bella rappo", "price_value"),
    1240347090: ("Bagno un po' stret", ""),
    1240347767: ("Ho pernottato solt", ""),
    1240344597: ("Anticipare l orari", ""),
    1240347554: ("Non c'è un vero pa", "price_value"),
}
EXPECTED_EN_2: dict[int, tuple[str, str]] = {
    398: ("Sounds good reason", "price_value"),
    1145: ("The bathrooms are", ""),
    1567: ("Food was delicious", ""),
    1550: ("I really do recomm", ""),
    404: ("don't waste your m", "price_value"),
    1644: ("This place has a l", ""),
    1802: ("Why are these sad", ""),
    606: ("Overall, I would r", ""),
    1116: ("It was pretty gros", ""),
    1377: ("In an interesting", ""),
    1595: ("The croutons also", ""),
    403: ("Very pleased with", ""),
    433: ("I highly recommend", "price_value"),
    1208: ("Must have been an", ""),
    1979: ("I kept looking at", "waiting_time"),
    319: ("I love this device", ""),
    1906: ("After the disappoi", ""),
    16: ("I advise EVERYONE", ""),
    542: ("Perhaps my phone i", "product_quality"),
    949: ("I had to purchase", ""),
    6: ("If you have severa", ""),
    1964: ("Del Taco is pretty", ""),
    328: ("AMAZON SUCKS.", ""),
    1853: ("The price is reaso", "price_value;staff_attitude"),
    955: ("Buttons are too sm", "product_quality"),
    1921: ("This place is disg", ""),
    1725: ("Great food and awe", "staff_attitude"),
    487: ("Unfortunately the", "product_quality"),
    478: ("It holds a charge", "product_quality"),
    114: ("Absolutely great.", ""),
    742: ("It dit not work mo", "product_quality"),
    1444: ("Each day of the we", "price_value"),
    824: ("Awkward to use and", "product_quality"),
    867: ("Nice case, feels g", ""),
    1483: ("The selection of f", ""),
    215: ("I would highly rec", ""),
    1886: ("The service was ex", "waiting_time"),
    707: ("This is cool becau", ""),
    1030: ("Also there are com", "price_value"),
    1572: ("Waited and waited", "waiting_time"),
    931: ("This pair of headp", "product_quality"),
    1289: ("I hate to disagree", ""),
    210: ("I did not bother c", "product_quality"),
    1924: ("However, there was", ""),
    1785: ("The nachos are a M", ""),
    118: ("It has been a winn", ""),
    395: ("Better than you'd", ""),
    1517: ("At first glance it", "staff_attitude"),
    1609: ("I will not be eati", ""),
    1971: ("The ambiance isn't", ""),
    1346: ("This place is like", ""),
    1758: ("The jalapeno bacon", ""),
    1452: ("I am far from a su", ""),
    828: ("Doesn't Work.", "product_quality"),
    600: ("Their Research and", ""),
    1054: ("The portion was hu", ""),
    780: ("I am sorry I made", ""),
    430: ("Fantastic earphone", ""),
    214: ("fast service.", "waiting_time"),
    89: ("The phone loads su", ""),
}
EXPECTED_IT_3: dict[int, tuple[str, str]] = {
    1240347270: ("La doccia integrat", ""),
    1240347858: ("La pulsantiera per", "product_quality"),
    1240345076: ("La posizione nel c", ""),
    1240349614: ("Le prese vicino al", "product_quality"),
    1240346132: ("Parcheggio riserva", ""),
    1240347385: ("Vicinanza all ospe", ""),
    1240348231: ("L impianto di clim", "product_quality"),
    1240344788: ("Ottimo rapporto qu", "price_value"),
    1240347431: ("Per 3 giorni ho sa", ""),
    1240350475: ("Buon Hotel in pien", ""),
    1240343943: ("Ci è piaciuta molt", ""),
    1240345977: ("Camere accoglienti", ""),
    1240346702: ("la colazione non t", "product_quality"),
    1240346425: ("Personale molto ge", "staff_attitude"),
    1240350993: ("aria condizionata", "product_quality"),
    1240350408: ("Le stanze al primo", ""),
    1240346863: ("La wifi non funzio", "product_quality"),
    1240342417: ("Presente un deposi", ""),
    1240349011: ("Ottima posizione p", ""),
    1240345256: ("La pulizia è stata", ""),
    1240344987: ("Camera doppia ma i", ""),
    1240345291: ("Posizione eccellen", ""),
    1240347898: ("cmq per una notte", ""),
    1240347556: ("ottima colazione,", "staff_attitude"),
    1240343845: ("Pulizia di camere", ""),
    1240343727: ("Struttura vecchia,", ""),
    1240344289: ("L'atmosfera, la co", "staff_attitude"),
    1240343777: ("Buona pulizia e ne", ""),
    1240348022: ("Convenzione a prez", "price_value"),
    1240351626: ("La gentilezza dell", "staff_attitude"),
    1240348382: ("Uno staff gentilis", "staff_attitude"),
    1240348140: ("Disponibilità e ge", "staff_attitude"),
    1240345049: ("il personale dovre", "staff_attitude"),
    1240347409: ("Hotel anonimo,nel", ""),
    1240347781: ("In bagno non funzi", "product_quality"),
    1240346701: ("Materasso molto du", "product_quality"),
    1240343965: ("Particolare atmosf", ""),
    1240343326: ("Posizione dell'hot", ""),
    1240349996: ("Struttura accoglie", ""),
    1240350075: ("La vicinanza al ce", "staff_attitude"),
    1240346519: ("I colori in camera", ""),
    1240345644: ("Bella stanza, tran", "staff_attitude"),
    1240348258: ("La colazione senz'", "price_value;product_quality"),
    1240351155: ("per il prezzo si t", "price_value"),
    1240346911: ("Staff eccellente e", "staff_attitude"),
    1240343716: ("Colazione ottima s", "staff_attitude"),
    1240347912: ("La hall è piccola", ""),
    1240345170: ("Hotel in posizione", ""),
    1240349401: ("Ottima colazione o", ""),
    1240349084: ("Posizione dell'alb", "staff_attitude"),
    1240351041: ("Bagno pulito super", "product_quality"),
    1240343460: ("Camera grande , sp", ""),
    1240350238: ("Aria condizionata", "product_quality"),
    1240345295: ("L'ingresso prima d", "product_quality"),
    1240350271: ("La cortesia del pe", "staff_attitude"),
    1240347702: ("L'albergo, un pala", ""),
    1240345018: ("Migliorerei i capp", "product_quality"),
    1240349413: ("Il letto molto gra", ""),
    1240348139: ("Personale non molt", "staff_attitude;product_quality"),
    1240346676: ("il costo del parch", "price_value"),
}
EXPECTED_EN_3: dict[int, tuple[str, str]] = {
    414: ("After a year the b", "product_quality"),
    1235: ("If it were possibl", ""),
    305: ("I received it quic", "delivery"),
    1510: ("I don't each much", ""),
    1549: ("My boyfriend and I", "product_quality;staff_attitude"),
    440: ("Very Displeased.", ""),
    1366: ("My wife had the Lo", "product_quality"),
    1792: ("Paying $7.85 for a", "price_value"),
    1854: ("The Wife hated her", "product_quality"),
    1406: ("I'll definitely be", ""),
    1319: ("All the bread is m", ""),
    1272: ("You can't beat tha", ""),
    1752: ("Level 5 spicy was", ""),
    468: ("I find this inexcu", "returns_refunds;product_quality"),
    966: ("however, my girl w", "product_quality"),
    930: ("Never got it!!!!!", "delivery"),
    1225: ("I loved the bacon", ""),
    902: ("The cutouts and bu", ""),
    1085: ("I love the Pho and", ""),
    594: ("Better Than New.", ""),
    1525: ("Similarly, the del", "delivery"),
    330: ("VERY comfortable.", ""),
    2: ("Great for the jawb", ""),
    947: ("Otherwise, easy to", ""),
    618: ("You need two hands", "product_quality"),
    1755: ("When I'm on this s", ""),
    1796: ("The chips and sals", ""),
    1722: ("The food was great", ""),
    1409: ("TOTAL WASTE OF TIM", ""),
    886: ("I didn't want the", "product_quality"),
    851: ("This is an excelle", ""),
    1509: ("Thoroughly disappo", ""),
    698: ("Because both ears", ""),
    893: ("Bad Reception.", "product_quality"),
    1385: ("I don't recommend", ""),
    1158: ("this place is good", ""),
    1014: ("I was disgusted be", "product_quality"),
    479: ("I'd like to return", "returns_refunds"),
    471: ("The update procedu", "product_quality"),
    1576: ("I swung in to give", ""),
    136: ("Very good stuff fo", "price_value"),
    1249: ("Based on the sub-p", "staff_attitude"),
    1049: ("My side Greek sala", ""),
    456: ("Timely shipment an", "delivery;product_quality"),
    554: ("I give Wirefly 1 s", ""),
    1661: ("Very convenient, s", ""),
    280: ("Good product, good", "product_quality"),
    1473: ("Don't waste your t", ""),
    830: ("Unfortunately it d", "product_quality"),
    149: ("After 3 months, sc", "product_quality"),
    256: ("The cable looks so", "product_quality"),
    538: ("The eargels channe", ""),
    888: ("Don't trust their", "staff_attitude;self_service;customer_service"),
    1951: ("The tables outside", "staff_attitude"),
    804: ("Yes it's shiny on", ""),
    1738: ("I love the decor w", ""),
    1533: ("If you love authen", ""),
    252: ("It's very attracti", "product_quality"),
    1777: ("So in a nutshell:", ""),
    988: ("It didn't work, pe", "product_quality"),
}


DRAWS = {
    ("it", 1): EXPECTED_IT,
    ("en", 1): EXPECTED_EN,
    ("it", 2): EXPECTED_IT_2,
    ("en", 2): EXPECTED_EN_2,
    ("it", 3): EXPECTED_IT_3,
    ("en", 3): EXPECTED_EN_3,
}


def _sample(lang: str, expected: dict[int, tuple[str, str]]) -> pd.Series:
    path = DATA / ("absita_train_it.csv" if lang == "it" else "uci_sentences_en.csv")
    if not path.exists():
        pytest.skip(f"labelled sentences not available ({path})")
    df = pd.read_csv(path, keep_default_na=False)
    texts = df.set_index("sentence_id")["text"] if lang == "it" else df["text"]
    texts = texts.loc[list(expected)]
    for key, (start, _) in expected.items():
        assert str(texts.loc[key]).startswith(start), f"sentence {key} changed: {texts.loc[key]!r}"
    return texts


def test_draws_are_disjoint():
    for lang in ("it", "en"):
        ids = [k for draw in (1, 2, 3) for k in DRAWS[(lang, draw)]]
        assert len(ids) == len(set(ids)) == 180


@pytest.mark.parametrize(("lang", "draw"), sorted(DRAWS))
def test_theme_precision_on_hand_checked_real_sentences(lang, draw):
    expected = DRAWS[(lang, draw)]
    texts = _sample(lang, expected)
    assert len(texts) == 60
    found = detect_themes(texts)
    assigned = right = 0
    wrong = []
    for key, row in zip(texts.index, found.to_numpy(), strict=True):
        truth = set(filter(None, expected[key][1].split(";")))
        for theme in found.columns[row]:
            assigned += 1
            right += theme in truth
            if theme not in truth:
                wrong.append((key, theme))
    precision = right / assigned
    print(
        f"\n[{lang} draw {draw}] theme precision on 60 hand-checked sentences: {right}/{assigned} = "
        f"{precision:.2f}; wrong: {wrong}"
    )
    assert assigned >= 10  # the themes do fire on real text
    assert precision >= 0.85
