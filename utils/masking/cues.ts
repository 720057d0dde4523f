import type { CueLanguage } from './schema.ts';

/**
 * Context words per language, as data. Syntax of one cue: words separated by single spaces (any whitespace
 * matches); a trailing `*` makes the last word a prefix (stems of inflected or agglutinative forms: Kyrgyz
 * "телефонум" from "телефон*"); otherwise the cue must end at a word boundary. Matching is case-insensitive.
 */
export interface CueSet {
  /** Near a phone number: "my phone", "мой номер", "менин телефонум". */
  phone: readonly string[];
  /** Near an e-mail, URL or handle: "write to me", "contact". */
  contact: readonly string[];
  /** Near an address: "I live at", "мой адрес". */
  address: readonly string[];
  /** Street-type words written before the street name ("ул. Ленина 5", "calle Mayor 5"). */
  streetBefore: readonly string[];
  /** Street-type words written after the name ("Чүй көчөсү 12", "Baker Street"). */
  streetAfter: readonly string[];
  /** Words introducing a postcode ("zip code", "индекс"); a bare number is never taken as a postcode. */
  postcode: readonly string[];
  /** Before a date of birth. */
  birth: readonly string[];
  /** Before a self-stated name: "my name is". */
  nameIntro: readonly string[];
  /** Near coordinates. */
  coordinates: readonly string[];
  /** Numbers near these are references, not phones: ISBN, revision ids, page numbers. */
  notPhone: readonly string[];
}

/** Platform words that make a bare "@name" a handle. Brands that are also common words (Signal, Medium, Threads,
 * Steam) are left out: "Medium: large" is not a handle. Shared by all languages since the names are brands.
 */
export const PLATFORM_CUES: readonly string[] = [
  'telegram', 'tg', 'телеграм*', 'телег*', 'телеграмм*', 'instagram', 'insta', 'ig', 'инстаграм*', 'инста*',
  'twitter', 'твиттер*', 'x.com', 'tiktok', 'тикток*', 'тик ток*', 'vk', 'вк', 'вконтакте', 'facebook', 'fb', 'фейсбук*',
  'linkedin', 'github', 'gitlab', 'youtube', 'ютуб*', 'reddit', 'mastodon', 'discord', 'дискорд*', 'snapchat',
  'bluesky', 'bsky', 'skype', 'скайп*', 'whatsapp', 'ватсап*', 'twitch', 'pinterest', 'ok.ru',
  'одноклассник*', 'substack', 'onlyfans',
];

const en: CueSet = {
  // Not "number" alone ("card number", "license number") nor "office" ("the office is at 17031 …").
  phone: ['phone*', 'telephone', 'tel', 'tel.', 'mobile', 'cell', 'cellphone', 'call me', 'call', 'text me', 'ring me',
    'sms', 'fax', 'my number', 'reach me', 'contact me', 'whatsapp', 'viber', 'messages to', 'message me'],
  contact: ['email', 'e-mail', 'mail', 'contact', 'write to me', 'reach me', 'my site', 'my blog', 'my website',
    'my profile', 'my account', 'follow me', 'find me'],
  address: ['i live at', 'i live on', 'i live in', 'my address', 'address', 'home address', 'zip', 'zip code',
    'postcode', 'postal code', 'located at', 'lives at'],
  streetBefore: [],
  streetAfter: ['street', 'st', 'st.', 'avenue', 'ave', 'ave.', 'road', 'rd', 'rd.', 'drive', 'dr.', 'lane', 'ln',
    'boulevard', 'blvd', 'blvd.', 'court', 'ct', 'place', 'pl.', 'way', 'terrace', 'crescent', 'close', 'highway',
    'hwy', 'parkway', 'pkwy', 'square', 'sq.', 'alley', 'row'],
  postcode: ['zip', 'zip code', 'zipcode', 'postcode', 'post code', 'postal code'],
  birth: ['born', 'born on', 'born in', 'birthday', 'birth date', 'date of birth', 'dob', 'd.o.b.', 'my bday'],
  nameIntro: ['my name is', 'my real name is', 'my full name is', 'i am called', 'i\'m called', 'name:'],
  coordinates: ['coordinates', 'coords', 'gps', 'lat', 'latitude', 'location', 'my location', 'i live'],
  notPhone: ['isbn', 'issn', 'oclc', 'doi', 'pmid', 'pmc', 'oldid', 'diff', 'revid', 'rev', 'revision', 'version',
    'page', 'pages', 'pp.', 'p.', 'id', 'bibcode', 'arxiv', 'lccn', 'jstor', 'population', 'sum', 'total', 'votes',
    'card', 'credit card', 'license', 'licence', 'passport', 'account', 'iban', 'ssn', 'social security', 'policy', 'order', 'invoice', 'tracking'],
};

const ru: CueSet = {
  phone: ['телефон*', 'тел.', 'тел', 'моб.', 'мобильн*', 'сотов*', 'номер*', 'звони*', 'позвони*', 'набери*',
    'ватсап*', 'вайбер*', 'факс*', 'смс', 'эсэмэс*'],
  contact: ['почта', 'почту', 'почты', 'эл. почта', 'email', 'напиши*', 'пишите', 'связь', 'связаться', 'мой сайт',
    'мой блог', 'мой профиль', 'моя страница', 'подпишись*'],
  address: ['живу', 'проживаю', 'мой адрес', 'адрес*', 'индекс', 'почтовый индекс'],
  streetBefore: ['ул.', 'улица', 'улице', 'улицы', 'пр.', 'пр-т', 'просп.', 'проспект*', 'пер.', 'переул*', 'бульвар*',
    'б-р', 'шоссе', 'наб.', 'набережн*', 'пл.', 'площад*', 'мкр.', 'мкр', 'микрорайон*', 'ж/м', 'тупик', 'проезд'],
  streetAfter: ['улица', 'ул.', 'проспект', 'переулок', 'бульвар', 'шоссе'],
  postcode: ['индекс', 'почтовый индекс'],
  birth: ['родился', 'родилась', 'дата рождения', 'д. р.', 'д.р.', 'день рождения', 'год рождения', 'рождён*',
    'рожден*'],
  nameIntro: ['меня зовут', 'моё имя', 'мое имя', 'моя фамилия', 'зовут меня'],
  coordinates: ['координат*', 'gps', 'геолокац*', 'местоположен*'],
  notPhone: ['isbn', 'правк*', 'верси*', 'стр.', 'с.', 'ревизи*', 'oldid', 'diff', 'население', 'тираж*', 'руб*',
    'долл*', 'человек', 'жител*',
    'карт*', 'паспорт*', 'инн', 'снилс', 'счёт', 'счет', 'счета', 'заказ*', 'полис*'],
};

const ky: CueSet = {
  phone: ['телефон*', 'тел.', 'тел', 'номер*', 'чалыңыз*', 'чалып*', 'чалсаңыз*', 'чалгыла*', 'уюлдук*', 'ватсап*',
    'смс'],
  contact: ['почта*', 'жазыңыз*', 'жазгыла*', 'байланыш*', 'менин сайтым', 'баракчам*'],
  address: ['жашайм', 'дарег*', 'менин дарегим', 'индекс'],
  streetBefore: ['ул.', 'көч.', 'пр.', 'мкр.', 'мкр', 'кичи район*', 'м-н'],
  streetAfter: ['көчөсү', 'көчөсүндө', 'көчө', 'көч.', 'проспекти', 'проспектиси', 'кичи району', 'бульвары'],
  postcode: ['индекс', 'почта индекси'],
  birth: ['туулган*', 'туулгам', 'туулдум', 'туулган күнүм'],
  nameIntro: ['менин атым', 'атым', 'менин ысмым', 'ысмым'],
  coordinates: ['координат*', 'gps'],
  notPhone: ['isbn', 'оңдоо*', 'версия*', 'бет', 'калк*',
    'карта*', 'паспорт*', 'инн', 'эсеп*'],
};

const uk: CueSet = {
  phone: ['телефон*', 'тел.', 'тел', 'моб.', 'мобільн*', 'номер*', 'дзвоні*', 'зателефону*', 'вайбер*', 'факс*'],
  contact: ['пошта', 'пошту', 'ел. пошта', 'пишіть', 'напиши*', 'зв\'язок', 'зв’язок', 'мій сайт', 'мій блог'],
  address: ['живу', 'мешкаю', 'моя адреса', 'адреса', 'адресу', 'індекс'],
  streetBefore: ['вул.', 'вулиц*', 'просп.', 'проспект*', 'пров.', 'провул*', 'бульв.', 'бульвар*', 'пл.', 'площ*',
    'мкр.', 'мікрорайон*'],
  streetAfter: ['вулиця', 'вул.', 'проспект', 'провулок', 'бульвар'],
  postcode: ['індекс', 'поштовий індекс'],
  birth: ['народився', 'народилася', 'народилась', 'дата народження', 'день народження', 'рік народження'],
  nameIntro: ['мене звати', 'моє ім\'я', 'моє ім’я', 'моє прізвище'],
  coordinates: ['координат*', 'gps'],
  notPhone: ['isbn', 'редагуван*', 'версі*', 'с.', 'населення',
    'картк*', 'паспорт*', 'рахун*', 'іпн'],
};

const kk: CueSet = {
  phone: ['телефон*', 'тел.', 'тел', 'нөмір*', 'номер*', 'қоңырау*', 'хабарлас*', 'ватсап*'],
  contact: ['пошта*', 'жазыңыз*', 'байланыс*', 'менің сайтым'],
  address: ['тұрамын', 'мекенжай*', 'адрес*', 'индекс'],
  streetBefore: ['көш.', 'ул.', 'даңғ.', 'ш/а', 'мкр.', 'мкр'],
  streetAfter: ['көшесі', 'көшесінде', 'көш.', 'даңғылы', 'шағын ауданы', 'ықшам ауданы'],
  postcode: ['индекс', 'пошта индексі'],
  birth: ['туылған*', 'туылдым', 'туған күн*', 'туған жыл*'],
  nameIntro: ['менің атым', 'атым', 'есімім'],
  coordinates: ['координат*', 'gps'],
  notPhone: ['isbn', 'нұсқа*', 'бет', 'халқы', 'халық*',
    'карта*', 'төлқұжат*', 'шот*', 'жсн'],
};

const es: CueSet = {
  phone: ['teléfono', 'telefono', 'tel.', 'tlf.', 'móvil', 'movil', 'celular', 'cel.', 'llámame', 'llamame',
    'llámenme', 'mi número', 'número', 'numero', 'whatsapp', 'fax'],
  contact: ['correo', 'email', 'escríbeme', 'escribeme', 'contacto', 'mi web', 'mi blog', 'mi perfil', 'sígueme'],
  address: ['vivo en', 'mi dirección', 'mi direccion', 'dirección', 'direccion', 'domicilio', 'código postal', 'cp'],
  streetBefore: ['calle', 'c/', 'avenida', 'avda.', 'av.', 'plaza', 'pza.', 'paseo', 'pº', 'camino', 'carrera',
    'cra.', 'pasaje', 'ronda', 'travesía', 'rua', 'rúa', 'praça', 'estrada', 'jirón', 'jr.'],
  streetAfter: [],
  postcode: ['código postal', 'codigo postal', 'cp', 'c.p.'],
  birth: ['nací', 'naci', 'nacido', 'nacida', 'fecha de nacimiento', 'cumpleaños', 'f. nac.'],
  nameIntro: ['me llamo', 'mi nombre es', 'mi nombre completo es'],
  coordinates: ['coordenadas', 'gps', 'ubicación', 'ubicacion'],
  notPhone: ['isbn', 'edición', 'edicion', 'versión', 'version', 'pág.', 'págs.', 'población', 'habitantes',
    'tarjeta', 'pasaporte', 'cuenta', 'dni', 'nif', 'pedido'],
};

const fr: CueSet = {
  phone: ['téléphone', 'telephone', 'tél.', 'tél', 'tel.', 'portable', 'mobile', 'appelez-moi', 'appelle-moi',
    'mon numéro', 'numéro', 'numero', 'fax', 'joignable'],
  contact: ['courriel', 'mail', 'e-mail', 'écrivez-moi', 'écris-moi', 'contact', 'mon site', 'mon blog',
    'mon profil'],
  address: ['j\'habite', 'j’habite', 'mon adresse', 'adresse', 'domicile', 'code postal', 'cp'],
  streetBefore: ['rue', 'avenue', 'av.', 'boulevard', 'bd', 'bd.', 'chemin', 'allée', 'impasse', 'place', 'quai',
    'cours', 'route'],
  streetAfter: [],
  postcode: ['code postal', 'cp'],
  birth: ['né le', 'née le', 'né en', 'née en', 'date de naissance', 'anniversaire', 'je suis né', 'je suis née'],
  nameIntro: ['je m\'appelle', 'je m’appelle', 'mon nom est', 'mon vrai nom est'],
  coordinates: ['coordonnées', 'gps', 'localisation'],
  notPhone: ['isbn', 'version', 'p.', 'pp.', 'population', 'habitants',
    'carte', 'passeport', 'compte', 'commande'],
};

const de: CueSet = {
  phone: ['telefon*', 'tel.', 'handy', 'handynummer', 'mobil*', 'ruf mich an', 'rufen sie mich an', 'nummer',
    'telefonnummer', 'fax', 'whatsapp'],
  contact: ['e-mail', 'mail', 'schreib mir', 'schreiben sie mir', 'kontakt', 'meine seite', 'mein blog',
    'mein profil'],
  address: ['ich wohne', 'wohne in', 'meine adresse', 'adresse', 'anschrift', 'plz', 'postleitzahl'],
  streetBefore: [],
  streetAfter: ['straße', 'strasse', 'str.', 'gasse', 'weg', 'platz', 'allee', 'ring', 'damm', 'ufer', 'chaussee'],
  postcode: ['plz', 'postleitzahl'],
  birth: ['geboren', 'geb.', 'geburtsdatum', 'geburtstag', 'ich bin am'],
  nameIntro: ['ich heiße', 'ich heisse', 'mein name ist', 'mein richtiger name ist'],
  coordinates: ['koordinaten', 'gps', 'standort'],
  notPhone: ['isbn', 'version', 's.', 'seite', 'einwohner', 'bevölkerung',
    'karte', 'konto', 'ausweis', 'pass', 'bestellung'],
};

const tr: CueSet = {
  phone: ['telefon*', 'tel.', 'tel', 'cep*', 'numaram*', 'numara*', 'beni ara', 'ara beni', 'arayın', 'whatsapp',
    'faks'],
  contact: ['e-posta*', 'eposta*', 'mail*', 'yazın', 'bana yaz', 'iletişim', 'sitem', 'blogum', 'profilim'],
  address: ['oturuyorum', 'yaşıyorum', 'adresim*', 'adres*', 'posta kodu'],
  streetBefore: [],
  streetAfter: ['sokak', 'sokağı', 'sok.', 'sk.', 'cadde*', 'cad.', 'cd.', 'mahalle*', 'mah.', 'mh.', 'bulvar*',
    'blv.'],
  postcode: ['posta kodu'],
  birth: ['doğdum', 'doğum tarih*', 'doğum günü*', 'doğumlu*'],
  nameIntro: ['benim adım', 'adım', 'ismim', 'benim ismim'],
  coordinates: ['koordinat*', 'gps', 'konum*'],
  notPhone: ['isbn', 'sürüm*', 'sayfa', 's.', 'nüfus*',
    'kart*', 'pasaport*', 'hesap*', 'tc kimlik', 'sipariş*'],
};

const ar: CueSet = {
  phone: ['هاتف*', 'هاتفي', 'رقمي', 'رقم*', 'جوال*', 'جوالي', 'موبايل*', 'اتصل بي', 'اتصلوا بي', 'واتساب',
    'واتس', 'تلفون*', 'فاكس'],
  contact: ['بريدي', 'البريد الإلكتروني', 'بريد*', 'راسلني', 'تواصل', 'موقعي', 'حسابي', 'مدونتي'],
  address: ['أسكن', 'اسكن', 'أعيش', 'عنواني', 'عنوان*', 'الرمز البريدي', 'ص.ب'],
  streetBefore: ['شارع', 'ش.', 'حي', 'طريق', 'زقاق', 'ساحة', 'ميدان'],
  streetAfter: [],
  postcode: ['الرمز البريدي'],
  birth: ['ولدت', 'وُلدت', 'مواليد', 'تاريخ الميلاد', 'تاريخ ميلادي', 'عيد ميلادي'],
  nameIntro: ['اسمي', 'أنا اسمي', 'إسمي'],
  coordinates: ['إحداثيات', 'احداثيات', 'موقعي'],
  notPhone: ['isbn', 'ردمك', 'نسخة', 'صفحة', 'ص.', 'عدد السكان',
    'بطاقة', 'جواز', 'حساب'],
};

const fa: CueSet = {
  phone: ['تلفن*', 'شماره*', 'موبایل*', 'همراه', 'تماس بگیرید', 'زنگ بزنید', 'واتساپ', 'تلگرام', 'فکس'],
  contact: ['ایمیل*', 'رایانامه*', 'پست الکترونیک*', 'با من تماس', 'سایتم', 'وبلاگم', 'صفحه‌ام'],
  address: ['ساکن', 'زندگی می‌کنم', 'آدرس*', 'نشانی*', 'کد پستی'],
  streetBefore: ['خیابان', 'خ.', 'کوچه', 'بلوار', 'میدان', 'بزرگراه', 'پلاک'],
  streetAfter: [],
  postcode: ['کد پستی'],
  birth: ['متولد', 'تاریخ تولد', 'به دنیا آمدم', 'زادروز*'],
  nameIntro: ['اسم من', 'نام من', 'اسمم', 'نامم'],
  coordinates: ['مختصات', 'موقعیت'],
  notPhone: ['isbn', 'شابک', 'نسخه', 'صفحه', 'ص.', 'جمعیت',
    'کارت', 'گذرنامه', 'حساب', 'کد ملی'],
};

/**
 * Street words of languages without a full cue list (it, pt, pl, cs, hu…). Addresses are written in the language
 * of the place, not of the wiki, so street words of every language are always used (see detect-address.ts).
 */
export const SHARED_STREET_BEFORE: readonly string[] = [
  'via', 'viale', 'piazza', 'piazzetta', 'corso', 'vicolo', 'largo', 'rua', 'praça', 'avenida', 'travessa', 'ul.',
  'ulica', 'al.', 'aleja', 'os.', 'plac',
];
export const SHARED_STREET_AFTER: readonly string[] = ['utca', 'út', 'útja', 'tér', 'ulice', 'náměstí', 'straat',
  'laan', 'gracht', 'vej', 'gade', 'gata', 'gatan', 'vägen', 'veien', 'katu', 'tie'];

export const CUES: Readonly<Record<CueLanguage, CueSet>> = { en, ru, ky, uk, kk, es, fr, de, tr, ar, fa };

/**
 * Which cue lists a page in a given language also uses: talk pages mix languages (Kyrgyz and Kazakh users often
 * write in Russian, everyone writes the odd English word). Languages without their own list use all of them.
 */
export const CUE_FALLBACKS: Readonly<Record<CueLanguage, readonly CueLanguage[]>> = {
  en: ['en'],
  ru: ['ru', 'en'],
  ky: ['ky', 'ru', 'en'],
  uk: ['uk', 'ru', 'en'],
  kk: ['kk', 'ru', 'en'],
  es: ['es', 'en'],
  fr: ['fr', 'en'],
  de: ['de', 'en'],
  tr: ['tr', 'en'],
  ar: ['ar', 'fr', 'en'],
  fa: ['fa', 'ar', 'en'],
};
