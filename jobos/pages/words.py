"""Job vocabulary in many languages, kept as tables: one row per language, compiled once.

The page readers judge pages by words (a posting's section headings, careers words, apply
words); a language is added by adding its row, not by editing a rule (Catalan, "ca", is one). Words are matched whole
(case-insensitive) in languages written with spaces; Japanese and Chinese words, which are not
separated by spaces, are matched as they stand.
"""
from __future__ import annotations

import re

_UNSPACED = ("ja", "zh")

# Headings and phrases of the sections of one job posting.
POSTING_SECTIONS: dict[str, tuple[str, ...]] = {
    "en": ("responsibilities", "requirements", "qualifications", "what you('|’)ll do", "what we offer",
           "about the role", "your profile", "who you are", "benefits", "job description", "job summary",
           "skills", "experience", "what we('|’)re looking for", "about you", "your tasks", "your role",
           "the role", "nice to have", "minimum qualifications", "preferred qualifications", "perks"),
    "de": ("ihre aufgaben", "deine aufgaben", "aufgaben", "ihr profil", "dein profil", "wir bieten",
           "anforderungen", "qualifikation", "qualifikationen", "das bringst du mit", "was dich erwartet",
           "was wir bieten", "das erwartet dich", "das bieten wir", "ihre qualifikationen", "benefits",
           "unser angebot", "was sie mitbringen", "was du mitbringst", "stellenbeschreibung"),
    "fr": ("vos missions", "missions", "profil recherché", "votre profil", "responsabilités", "compétences",
           "ce que nous recherchons", "le poste", "ce que nous offrons", "avantages", "description du poste",
           "qualifications requises", "vos responsabilités", "profil"),
    "es": ("requisitos", "responsabilidades", "funciones", "ofrecemos", "perfil", "sobre el puesto",
           "lo que buscamos", "descripción del puesto", "qué ofrecemos", "beneficios", "tus funciones",
           "experiencia", "habilidades", "se ofrece", "se requiere"),
    "pt": ("atividades", "atribuições", "qualificações", "benefícios", "o que oferecemos", "sobre a vaga",
           "descrição da vaga", "diferenciais", "o que buscamos", "o que esperamos", "o que procuramos",
           "sobre a função", "funções", "requisitos", "responsabilidades", "descrição do cargo",
           "descrição do trabalho", "requisitos do trabalho", "requisitos da vaga", "experiência",
           "habilidades", "competências", "perfil", "o que você vai fazer", "o que você fará",
           "quem você é", "informações adicionais", "regime de contratação", "local de trabalho",
           "formação", "conhecimentos", "vantagens", "desejável", "desejáveis", "requisitos mínimos",
           "qualificações mínimas", "qualificações preferenciais", "principais atividades"),
    "ca": ("requisits", "descripció de l('|’)oferta", "descripció del lloc", "funcions", "responsabilitats",
           "oferim", "què oferim", "què t('|’)oferim", "perfil", "experiència", "competències", "formació",
           "es requereix", "s('|’)ofereix", "tasques", "condicions laborals"),
    "it": ("profilo", "requisiti", "mansioni", "responsabilità", "cosa offriamo", "offriamo",
           "descrizione del ruolo", "competenze", "esperienza", "il tuo ruolo", "chi cerchiamo",
           "attività", "benefit"),
    "nl": ("taken", "functie-eisen", "wat wij bieden", "wat ga je doen", "wat breng je mee", "functieomschrijving",
           "jouw profiel", "wat vragen wij", "wie ben jij", "verantwoordelijkheden", "arbeidsvoorwaarden",
           "wij bieden"),
    "pl": ("obowiązki", "zakres obowiązków", "wymagania", "oferujemy", "nasze wymagania", "mile widziane",
           "twoje zadania", "kwalifikacje", "co oferujemy", "opis stanowiska"),
    "sv": ("arbetsuppgifter", "kvalifikationer", "vi erbjuder", "din profil", "om rollen", "om tjänsten",
           "ansvarsområden", "meriterande", "krav", "vem är du"),
    "da": ("kvalifikationer", "arbejdsopgaver", "vi tilbyder", "din profil", "om stillingen", "ansvarsområder",
           "dine opgaver", "vi forventer"),
    "no": ("arbeidsoppgaver", "kvalifikasjoner", "vi tilbyr", "om stillingen", "ansvarsområder",
           "personlige egenskaper", "ønskede kvalifikasjoner"),
    "fi": ("tehtävät", "työtehtävät", "vaatimukset", "tarjoamme", "odotamme sinulta", "pätevyysvaatimukset",
           "tehtävänkuva", "edellytämme"),
    "cs": ("náplň práce", "požadavky", "nabízíme", "co nabízíme", "co od vás očekáváme", "pracovní náplň",
           "popis pozice", "požadujeme"),
    "tr": ("sorumluluklar", "gereksinimler", "aranan nitelikler", "nitelikler", "iş tanımı", "genel nitelikler",
           "sunduklarımız", "yan haklar"),
    "ja": ("仕事内容", "業務内容", "応募資格", "必須条件", "歓迎条件", "待遇", "福利厚生", "求める人物像", "職務内容"),
    "zh": ("岗位职责", "职位描述", "任职要求", "任职资格", "工作职责", "岗位要求", "福利待遇", "职位要求"),
}

# Words asking the reader to apply.
APPLY: dict[str, tuple[str, ...]] = {
    "en": ("apply", "application", "apply now"),
    "de": ("bewerben", "bewerbung", "jetzt bewerben"),
    "fr": ("postuler", "candidature", "candidater"),
    "es": ("solicitar", "aplicar", "inscríbete", "postúlate", "postularme", "candidatura"),
    "pt": ("candidatar", "candidatar-se", "candidate-se", "candidatura", "inscreva-se", "inscrever-se",
           "aplicar", "aplique", "quero me candidatar"),
    "ca": ("inscriu-te", "inscriure('|’)m", "sol·licitar", "candidatura", "presenta la teva candidatura"),
    "it": ("candidati", "candidatura", "invia la tua candidatura"),
    "nl": ("solliciteer", "solliciteren", "sollicitatie"),
    "pl": ("aplikuj", "aplikuj teraz", "wyślij cv"),
    "sv": ("ansök", "ansökan"),
    "da": ("ansøg", "ansøgning", "søg stillingen"),
    "no": ("søk", "søknad", "søk stillingen"),
    "fi": ("hae", "hae paikkaa", "hakemus"),
    "cs": ("odpovědět", "mám zájem", "přihlásit se"),
    "tr": ("başvur", "başvuru", "hemen başvur"),
    "ja": ("応募する", "エントリー"),
    "zh": ("申请职位", "立即申请", "投递简历"),
}

# Words that name a careers page or a list of openings.
CAREERS: dict[str, tuple[str, ...]] = {
    "en": ("jobs?", "careers?", "career opportunities", "open (positions|roles)", "join (us|our team)",
           "we'?re hiring", "hiring", "vacanc(y|ies)", "openings?", "work with us"),
    "de": ("karriere", "stellen(angebote?|anzeigen|markt|börse)?", "offene stellen", "jobbörse", "arbeiten bei"),
    "fr": ("carrières?", "recrutement", "offres? d'emploi", "emplois?", "nous rejoindre", "rejoignez-nous"),
    "es": ("empleo", "ofertas? de (empleo|trabajo)", "trabaja con nosotros", "únete", "vacantes?"),
    "ca": ("ofertes de (feina|treball)", "treballa amb nosaltres", "borsa de treball", "feina"),
    "nl": ("vacatures?", "werken bij", "kom werken"),
    "it": ("lavora con noi", "posizioni aperte", "opportunità", "carriere"),
    "pt": ("vagas", "trabalhe conosco", "carreiras?", "vagas abertas", "oportunidades"),
    "sv": ("lediga (jobb|tjänster)", "jobba hos oss", "karriär", "jobb"),
    "no": ("ledige stillinger", "stillinger", "jobb"),
    "da": ("ledige job", "job hos", "ledige stillinger"),
    "fi": ("avoimet työpaikat", "rekry(tointi)?"),
    "pl": ("kariera", "praca", "oferty pracy"),
    "cs": ("kariéra", "volná místa", "volné pozice", "pracovní nabídky"),
    "tr": ("kariyer", "açık pozisyonlar", "iş ilanları"),
    "ja": ("採用情報", "求人", "キャリア採用", "募集職種"),
    "zh": ("招聘", "加入我们", "职位空缺", "社会招聘"),
}

# Role nouns of job titles, beside the long list in jobos.pages.listing (languages and words it lacks).
ROLES: dict[str, tuple[str, ...]] = {
    "pt": ("líder", "lider", "executivo", "executiva", "cientista", "programador", "programadora", "arquiteto",
           "arquiteta", "diretor", "diretora", "gestor", "gestora", "pesquisador", "pesquisadora", "representante",
           "advogado", "advogada", "enfermeiro", "enfermeira", "recepcionista", "contador", "contadora",
           "comprador", "compradora", "mecânico", "eletricista", "soldador", "almoxarife", "promotor", "promotora",
           "jovem aprendiz", "aprendiz", "estagiária", "técnica", "técnico", "professor", "professora",
           "cozinheiro", "cozinheira", "auditor", "auditora", "desenvolvedora", "designer", "gerente"),
    "es": ("líder", "ejecutivo", "ejecutiva", "científico", "científica", "programador", "programadora",
           "arquitecto", "arquitecta", "gestor", "gestora", "investigador", "investigadora", "abogado", "abogada",
           "enfermero", "enfermera", "recepcionista", "contable", "contador", "contadora", "mecánico",
           "electricista", "soldador", "camarero", "camarera", "cocinero", "cocinera", "dependiente",
           "dependienta", "repartidor", "mozo", "teleoperador", "teleoperadora", "gerente", "especialista"),
    "ca": ("tècnic", "tècnica", "administratiu", "administrativa", "infermer", "infermera", "educador",
           "educadora", "cuiner", "cuinera", "conductor", "conductora", "dependent", "dependenta",
           "enginyer", "enginyera", "programador", "programadora", "coordinadora", "directora", "gestora",
           "mestre", "professora", "cap de", "auxiliar", "responsable", "recepcionista", "comercial"),
    "fr": ("chef d'équipe", "chargé", "chargée", "architecte", "développeur", "développeuse", "avocat",
           "avocate", "vendeur", "vendeuse", "cuisinier", "cuisinière", "serveur", "serveuse", "magasinier",
           "cariste", "préparateur", "préparatrice", "soudeur", "électricien", "électricienne", "mécanicien",
           "mécanicienne", "chauffeur", "livreur", "aide-soignant", "aide-soignante", "auxiliaire", "animateur",
           "animatrice", "formateur", "formatrice", "acheteur", "acheteuse", "rédacteur", "rédactrice"),
    "it": ("sviluppatrice", "ingegnera", "progettista", "analista", "consulente", "specialista", "capo",
           "autista", "cuoco", "cuoca", "cameriere", "cameriera", "infermiere", "infermiera", "saldatore",
           "elettricista", "meccanico", "manutentore", "stagista", "apprendista", "contabile", "venditore",
           "venditrice", "direttore", "direttrice", "coordinatore", "coordinatrice"),
    "nl": ("consultant", "verpleegkundige", "chauffeur", "stagiair", "accountmanager", "teamleider",
           "manager", "engineer", "specialist", "coördinator", "coordinator", "begeleider", "monteur",
           "elektricien", "lasser", "kok", "magazijnmedewerker", "planner", "ontwerper", "developer"),
    "pl": ("specjalista", "specjalistka", "kierownik", "kierowniczka", "inżynier", "programista", "programistka",
           "analityk", "analityczka", "księgowy", "księgowa", "sprzedawca", "sprzedawczyni", "kierowca",
           "magazynier", "operator", "technik", "konsultant", "konsultantka", "asystent", "asystentka",
           "stażysta", "stażystka", "praktykant", "praktykantka", "menedżer", "dyrektor", "koordynator",
           "koordynatorka", "pielęgniarka", "monter", "spawacz", "elektryk", "mechanik", "doradca",
           "przedstawiciel handlowy", "tester", "projektant", "projektantka", "pracownik", "pracownica"),
    "cs": ("vedoucí", "specialista", "specialistka", "inženýr", "inženýrka", "programátor", "programátorka",
           "vývojář", "vývojářka", "analytik", "analytička", "účetní", "prodavač", "prodavačka", "řidič",
           "skladník", "operátor", "operátorka", "technik", "technička", "konzultant", "konzultantka",
           "asistent", "asistentka", "stážista", "manažer", "manažerka", "ředitel", "ředitelka", "koordinátor",
           "koordinátorka", "zdravotní sestra", "montér", "svářeč", "elektrikář", "mechanik", "obchodník",
           "referent", "referentka", "mistr", "dělník", "dělnice", "konstruktér", "konstruktérka", "svářeč"),
    "sv": ("utvecklare", "ingenjör", "projektledare", "säljare", "chef", "konsult", "tekniker", "handläggare",
           "sjuksköterska", "lagerarbetare", "truckförare", "chaufför", "montör", "elektriker", "svetsare",
           "ekonom", "redovisningsekonom", "controller", "specialist", "samordnare", "assistent", "praktikant",
           "designer", "arkitekt", "analytiker", "testare", "kock", "butikssäljare", "lagerchef",
           "transportledare", "systemförvaltare", "produktdesigner"),
    "da": ("udvikler", "ingeniør", "projektleder", "sælger", "chef", "konsulent", "tekniker", "sygeplejerske",
           "lagermedarbejder", "medarbejder", "chauffør", "montør", "elektriker", "svejser", "økonom",
           "controller", "specialist", "koordinator", "assistent", "praktikant", "elev", "lærling",
           "designer", "arkitekt", "analytiker", "kok", "leder"),
    "no": ("utvikler", "ingeniør", "prosjektleder", "selger", "leder", "konsulent", "tekniker", "sykepleier",
           "lagermedarbeider", "medarbeider", "sjåfør", "montør", "elektriker", "sveiser", "økonom",
           "controller", "spesialist", "koordinator", "assistent", "lærling", "rådgiver", "driftstekniker",
           "designer", "arkitekt", "analytiker", "kokk"),
    "fi": ("kehittäjä", "insinööri", "projektipäällikkö", "myyjä", "päällikkö", "konsultti", "asentaja",
           "sairaanhoitaja", "varastotyöntekijä", "kuljettaja", "sähköasentaja", "hitsaaja", "kirjanpitäjä",
           "asiantuntija", "koordinaattori", "assistentti", "harjoittelija", "suunnittelija", "arkkitehti",
           "analyytikko", "testaaja", "kokki", "johtaja", "esihenkilö", "työnjohtaja", "ohjelmistokehittäjä"),
    "tr": ("mühendis", "mühendisi", "uzman", "uzmanı", "müdür", "müdürü", "yönetici", "yöneticisi", "geliştirici",
           "geliştiricisi", "analist", "muhasebeci", "satış temsilcisi", "şoför", "operatör", "teknisyen",
           "danışman", "asistan", "stajyer", "koordinatör", "hemşire", "elektrikçi", "kaynakçı", "tasarımcı",
           "mimar", "sorumlusu", "sorumlu", "temsilcisi", "elemanı", "personel"),
    "ja": ("エンジニア", "マネージャー", "デザイナー", "営業", "担当者", "スタッフ", "責任者", "開発者", "アナリスト",
           "コンサルタント", "看護師", "薬剤師", "事務", "技術者", "研究員", "インターン", "リーダー"),
    "zh": ("工程师", "经理", "主管", "专员", "设计师", "开发", "分析师", "顾问", "助理", "实习生", "销售", "总监",
           "研究员", "架构师", "运营", "会计", "技术员", "护士", "司机"),
}


def words_regex(table: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """Return one case-insensitive pattern for every word of a table (whole words where spaced)."""
    spaced = [w for lang, words in table.items() if lang not in _UNSPACED for w in words]
    unspaced = [w for lang, words in table.items() if lang in _UNSPACED for w in words]
    parts = [r"\b(?:" + "|".join(spaced) + r")\b"] if spaced else []
    if unspaced:
        parts.append("(?:" + "|".join(unspaced) + ")")
    return re.compile("|".join(parts), re.I)


POSTING_SECTION_WORDS = words_regex(POSTING_SECTIONS)
APPLY_WORDS = words_regex(APPLY)
CAREERS_WORDS = words_regex(CAREERS)
ROLE_WORDS = words_regex(ROLES)
