"""The words archived statements use for their parts, in the languages of the region.

These are the conventions of the genre, not of one site: the label that names a statement's
kind ("Joint Statement:", "แถลงการณ์ร่วม", "联合声明"), the headings of its endorser list,
About block, contacts and notes, the closing formula of a letter, the word for "e-mail"
before an address. Each table is searched case-insensitively at the start of a line (or,
for "about", before or after the organisation's name), longest phrase first.
"""

from __future__ import annotations

import re
from functools import cache

# Kind labels: a statement's kind as its title or the line above it names it.
LABELS: dict[str, tuple[str, ...]] = {
    "joint-statement": (
        "joint statement", "joint press statement", "joint media statement", "joint declaration",
        "joint open statement",
        "pernyataan bersama", "pernyataan sikap bersama",
        "kenyataan media bersama", "kenyataan bersama", "kenyataan akhbar bersama",
        "pinagsamang pahayag", "magkasanib na pahayag", "pinagkaisang pahayag", "tuyên bố chung",
        "แถลงการณ์ร่วม", "សេចក្តីថ្លែងការណ៍រួម", "សេចក្ដីថ្លែងការណ៍រួម", "ပူးတွဲထုတ်ပြန်ချက်",
        "ပူးတွဲ ထုတ်ပြန်ချက်",
        "ပူးတွဲကြေညာချက်", "ပူးတွဲ ကြေညာချက်",
        "ປະກາດຮ່ວມ", "ຖະແຫຼງການຮ່ວມ", "联合声明", "聯合聲明", "共同声明",
        "공동성명", "공동 성명", "공동성명서", "совместное заявление", "бірлескен мәлімдеме",
        "биргелешкен билдирүү", "qo'shma bayonot",
        "qo‘shma bayonot", "qoʻshma bayonot", "хамтарсан мэдэгдэл", "संयुक्त वक्तव्य",
        "संयुक्त विज्ञप्ति", "संयुक्त बयान", "যৌথ বিবৃতি", "ඒකාබද්ධ ප්‍රකාශය", "கூட்டு அறிக்கை",
        "கூட்டறிக்கை", "مشترکہ بیان", "مشترکہ اعلامیہ", "بيان مشترك", "بیانیه مشترک",
        # (Persian writes the ezafe after "بیانیه" as a hamza above or as a yeh.)
        "بیانیهٔ مشترک", "بیانیه‌ی مشترک",
    ),
    "press-release": (
        # A joint release is a release ("공동 보도자료" too); a joint statement is not one.
        "joint press release", "siaran pers bersama",
        "press release", "media release", "news release", "press statement",
        "siaran pers", "rilis pers", "kenyataan media", "kenyataan akhbar", "siaran akhbar",
        "pahayag sa media", "pahayag sa midya", "paglabas sa media", "paglabas sa midya",
        "thông cáo báo chí", "thông cáo",
        "ข่าวประชาสัมพันธ์", "แถลงข่าว", "សេចក្តីប្រកាសព័ត៌មាន", "សេចក្ដីប្រកាសព័ត៌មាន",
        "သတင်းထုတ်ပြန်ချက်", "သတင်းစာထုတ်ပြန်ချက်", "ຂ່າວເຜີຍແຜ່", "新闻稿", "新聞稿", "新闻公报",
        "新聞公報", "プレスリリース", "보도자료", "보도 자료", "공동 보도자료", "공동보도자료",
        "пресс-релиз", "биргелешкен пресс-релиз", "баспасөз релизі", "хэвлэлийн мэдээ",
        "matbuot relizi", "प्रेस विज्ञप्ति",
        "प्रेस वक्तव्य", "সংবাদ বিজ্ঞপ্তি", "প্রেস বিজ্ঞপ্তি", "මාධ්‍ය නිවේදනය",
        "பத்திரிகை செய்தி", "பத்திரிகை அறிக்கை", "ஊடக அறிக்கை", "پریس ریلیز", "بيان صحفي", "بيان إعلامي",
        "بیانیه مطبوعاتی", "اطلاعیه مطبوعاتی", "بیانیهٔ مطبوعاتی", "اطلاعیهٔ مطبوعاتی",
    ),
    "open-letter": (
        "open letter", "joint letter", "joint open letter", "surat terbuka", "bukas na liham",
        "liham", "thư ngỏ",
        "จดหมายเปิดผนึก", "លិខិតចំហ", "အိတ်ဖွင့်ပေးစာ", "ຈົດໝາຍເປີດຜະນຶກ", "公开信", "公開信",
        "公開書簡", "공개서한", "공개 서한", "открытое письмо", "ашық хат", "ачык кат",
        "ochiq xat", "нээлттэй захидал", "खुला पत्र", "খোলা চিঠি", "විවෘත ලිපිය",
        "திறந்த மடல்", "کھلا خط", "رسالة مفتوحة", "نامه سرگشاده",
    ),
    "statement": (
        "statement", "public statement", "pernyataan", "pernyataan sikap", "kenyataan",
        "pahayag", "tuyên bố",
        "แถลงการณ์", "សេចក្តីថ្លែងការណ៍", "សេចក្ដីថ្លែងការណ៍", "ထုတ်ပြန်ချက်", "ကြေညာချက်",
        "ຖະແຫຼງການ", "声明", "聲明", "성명", "성명서", "заявление", "мәлімдеме", "билдирүү",
        "bayonot", "мэдэгдэл", "वक्तव्य", "बयान", "বিবৃতি", "ප්‍රකාශය", "அறிக்கை", "بیان",
        "بيان", "بیانیه",
    ),
}

# A site's section and category names ("Statements", "Country Updates", "Resources"): they
# stand above a statement's title on many pages and are never a title themselves.
SECTION_LABELS = (
    "statements", "press releases", "media releases", "news", "latest", "latest news",
    "beranda", "utama", "laman utama", "halaman utama", "trang chủ", "trang nhà", "หน้าแรก",
    "首页", "首頁", "ホーム", "홈", "главная", "басты бет", "нүүр", "मुखपृष्ठ", "होम",
    "ទំព័រដើម", "ပင်မ", "ໜ້າຫຼັກ", "முகப்பு", "මුල් පිටුව", "صفحہ اول",
    "news and events",
    "news & events", "news & updates", "news and updates", "updates", "country updates",
    "resources", "publications", "reports", "articles", "media", "media centre",
    "media center", "press", "press room", "newsroom", "news room", "blog", "home",
    "campaigns", "our work", "what we do", "events", "documents", "library", "archive",
    "archives", "announcements", "highlights", "featured", "opinion", "op-eds",
    "open letters", "joint statements", "submissions", "advocacy", "uncategorized",
    "uncategorised", "berita", "kabar", "publikasi", "siaran pers dan pernyataan", "artikel",
    "rilis", "kenyataan media dan akhbar", "balita", "mga pahayag", "tin tức", "tin bài",
    "bài viết", "ข่าว", "ข่าวสาร", "บทความ", "แถลงการณ์ทั้งหมด", "ព័ត៌មាន", "သတင်း",
    "ຂ່າວ", "新闻", "新聞", "动态", "動態", "资讯", "資訊", "最新消息", "ニュース",
    "お知らせ", "뉴스", "소식", "자료", "новости", "публикации", "статьи", "материалы",
    "заявления", "жаңалықтар", "мэдээ", "समाचार", "খবর", "செய்திகள்", "خبریں", "أخبار",
    "اخبار",
    # The titles tools give a page that has none of its own (a chat export, a blank doc).
    "exported data", "untitled", "untitled document", "untitled page", "document",
    "new page", "new document", "page", "telegram", "facebook", "web view",
)


def is_section_label(text: str) -> bool:
    text = text.strip(" :：|»›>")
    if len(text) > _SECTION_CHARS and len("".join(text.split())) > _SECTION_CHARS:
        return False  # longer than any name, spaces aside (folding case never shortens)
    return " ".join(text.split()).casefold() in _SECTIONS


_SECTIONS = frozenset(SECTION_LABELS)
_SECTION_CHARS = max(len("".join(name.split())) for name in SECTION_LABELS)

# Words that open a subject line ("Re:", Thai "เรื่อง"): the title is what follows them.
SUBJECT_WORDS = ("subject", "re", "perihal", "hal", "เรื่อง", "ເລື່ອງ", "កម្មវត្ថុ",
                 "အကြောင်းအရာ", "v/v", "về việc", "主题", "主題", "事由", "тема", "विषय",
                 "বিষয়", "موضوع")

# "<Coalition> / yang terdiri atas:": the line above names the coalition, the list its members.
MEMBERS_HEADINGS = ("yang terdiri atas", "yang terdiri dari", "terdiri atas", "terdiri dari",
                    "yang beranggotakan", "consisting of", "comprising", "whose members are",
                    "made up of", "ang binubuo ng", "bao gồm các tổ chức",
                    "ahli-ahli gabungan", "ahli gabungan", "anggota gabungan",
                    "anggota koalisi", "coalition members", "members of the coalition")

ENDORSE_HEADINGS = (
    *MEMBERS_HEADINGS,
    "this joint statement is endorsed by", "this statement is endorsed by",
    "this press release is issued jointly by", "this statement is issued jointly by",
    "this joint statement is issued by", "this press release is jointly issued by",
    "this statement is jointly issued by", "issued jointly by", "jointly issued by",
    "sumusunod na organisasyon", "mga organisasyong lumagda",
    # A sentence introducing the list: "The following organisations have signed this
    # declaration:" in Urdu and Tamil.
    "اس اعلامیے پر درج ذیل", "اس بیان پر درج ذیل", "درج ذیل تنظیموں",
    "இந்த அறிக்கையில் பின்வரும்", "பின்வரும் அமைப்புகள்",
    "လက်မှတ်ရေးထိုးသော အဖွဲ့အစည်းများ", "လက်မှတ်ရေးထိုးသူများ", "ထောက်ခံသော အဖွဲ့အစည်းများ",
    "the statement is endorsed by the following organisations",
    "the statement is endorsed by the following organizations",
    "the statement is endorsed by", "this open letter is signed by", "this letter is signed by",
    "this statement is supported by", "endorsed by the following organisations",
    "endorsed by the following organizations", "endorsed by", "co-endorsed by",
    "endorsing organisations",
    "endorsing organizations", "endorsers", "list of signatories", "signatories", "co-signatories",
    "signing organisations", "signing organizations", "signed by", "co-signed by", "signed",
    "supported by", "the undersigned organisations", "the undersigned organizations",
    "undersigned organisations", "undersigned organizations", "the undersigned",
    "issued by the following organisations", "issued by the following organizations",
    "organisations", "organizations", "organisational signatories",
    "organizational signatories", "endorsing groups", "signatory organisations",
    "signatory organizations",
    "yang bertanda tangan", "yang bertandatangan", "penandatangan", "organisasi penandatangan",
    "ditandatangani oleh", "didukung oleh", "lembaga penandatangan",
    "organisasi yang mendukung", "lembaga yang mendukung", "organisasi pendukung",
    "lembaga pendukung", "organisasi yang mendukung siaran pers ini",
    "organisasi yang mendukung pernyataan ini", "lembaga yang mendukung siaran pers ini",
    "lembaga yang mendukung pernyataan ini",
    "disokong oleh pertubuhan berikut", "disokong oleh", "dikeluarkan oleh pertubuhan berikut",
    "dikeluarkan oleh", "ditandatangani oleh", "pertubuhan yang menyokong",
    "senarai penandatangan", "senarai organisasi yang menyokong", "organisasi yang menyokong",
    "mga lumagda", "lumagda", "nilagdaan ng", "sinuportahan ng", "sinusuportahan ng",
    "pinirmahan ng", "các tổ chức ký tên", "các tổ chức đồng ký tên", "tổ chức ký tên",
    "đồng ký tên", "ký tên", "ผู้ร่วมลงนาม", "องค์กรที่ร่วมลงนามเพิ่มเติม", "องค์กรที่ร่วมลงนาม",
    "องค์กรที่ร่วมสนับสนุน", "องค์กรร่วมลงนาม",
    # "This statement is issued jointly by the organisations listed below", whole.
    "แถลงการณ์ฉบับนี้ออกร่วมกันโดยองค์กรตามรายนามด้านล่าง",
    "แถลงการณ์นี้ออกร่วมกันโดยองค์กรตามรายนามด้านล่าง", "องค์กรตามรายนามด้านล่าง",
    "รายชื่อองค์กร", "ลงนามโดย", "ลงชื่อ",
    "អង្គការដែលចុះហត្ថលេខា", "អង្គការចុះហត្ថលេខា", "ចុះហត្ថលេខាដោយ", "ដែលចុះហត្ថលេខា",
    "လက်မှတ်ရေးထိုးသည့် အဖွဲ့အစည်းများ", "လက်မှတ်ရေးထိုးသည့်အဖွဲ့အစည်းများ",
    "လက်မှတ်ရေးထိုးသူများ", "ပူးတွဲထုတ်ပြန်သည့် အဖွဲ့အစည်းများ",
    "ລົງນາມໂດຍ", "ອົງການທີ່ລົງນາມ", "ອົງການຈັດຕັ້ງທີ່ຮ່ວມລົງນາມ", "ອົງການທີ່ຮ່ວມລົງນາມ",
    "ຮ່ວມລົງນາມໂດຍ", "联署团体", "聯署團體", "連署團體", "連署組織",
    "联署机构", "聯署機構", "联署组织", "聯署組織", "签署团体", "簽署團體", "联署", "聯署", "連署",
    "賛同団体", "署名団体",
    "呼びかけ団体", "연명 단체", "연명단체", "공동 보도 단체", "공동보도 단체", "공동 주최 단체",
    "공동 주관 단체", "서명 단체", "서명단체", "공동성명 참여 단체",
    "공동성명 참여단체", "참여 단체",
    "참여단체", "подписали", "подписавшие организации", "организации, подписавшие заявление",
    "подписанты", "заявление поддержали", "қол қойғандар", "қол қойған ұйымдар",
    "мәлімдемеге қол қойған ұйымдар", "мәлімдемеге қол қойғандар",
    "кол койгондор", "кол койгон уюмдар", "imzolaganlar", "imzolovchi tashkilotlar",
    "imzolagan tashkilotlar",
    "гарын үсэг зурсан байгууллагууд", "мэдэгдэлд нэгдсэн байгууллагууд",
    "нэгдсэн байгууллагууд", "हस्ताक्षरकर्ता संस्थाहरू", "हस्ताक्षरकर्ता संगठन",
    "हस्ताक्षर गर्ने संस्थाहरू", "हस्ताक्षरकर्ता", "समर्थक संगठन", "স্বাক্ষরকারী সংগঠনসমূহ",
    "স্বাক্ষরকারী সংগঠন", "বিবৃতিতে স্বাক্ষরকারী", "স্বাক্ষরকারী", "অත්සන් කළ සංවිධාන", "අත්සන් කළ සංවිධාන",
    "கையொப்பமிட்ட அமைப்புகள்", "கையொப்பமிட்டவர்கள்", "دستخط کنندگان",
    "دستخط کرنے والی تنظیمیں", "دستخط کنندہ تنظیمیں", "تائید کرنے والی تنظیمیں",
    "المنظمات الموقعة على البيان",
    "المنظمات الموقعة", "المنظمات الموقّعة", "الموقعون", "الموقّعون", "امضاکنندگان",
    "سازمان‌های امضاکننده",
)

# "Organisations:" above a list that "Individuals:" follows, in the region's languages: a
# heading only as a short line ending in a colon (at the start of a sentence the word is
# the sentence's).
ORGANISATIONS_WORDS = (
    "organisasi", "lembaga", "pertubuhan", "mga organisasyon", "organisasyon", "tổ chức",
    "องค์กร", "អង្គការ", "အဖွဲ့အစည်းများ", "ອົງການ", "组织", "組織", "团体", "團體", "機構",
    "机构", "団体", "단체", "организации", "ұйымдар", "уюмдар", "tashkilotlar",
    "байгууллагууд", "संस्थाहरू", "संगठन", "সংগঠন", "සංවිධාන", "அமைப்புகள்", "تنظیمیں",
    "المنظمات", "سازمان‌ها",
)

CONTACT_HEADINGS = (
    "for further information", "for more information", "for further details",
    "for more details", "for media inquiries", "for media enquiries", "for press inquiries",
    "for press enquiries", "for media queries", "for interviews", "for inquiries",
    "for enquiries", "media contacts", "media contact", "press contacts", "press contact",
    "inquiries", "enquiries",
    "media inquiries", "media enquiries", "contact persons", "contact person", "contact details",
    "contacts", "contact", "narahubung", "kontak media", "kontak", "informasi lebih lanjut",
    "untuk informasi lebih lanjut", "untuk maklumat lanjut", "maklumat lanjut",
    "මෙම ලිපිය සම්බන්ධයෙන් වැඩිදුර විස්තර සඳහා", "වැඩිදුර විස්තර සඳහා",
    "untuk pertanyaan media", "untuk sebarang pertanyaan", "sebarang pertanyaan",
    "untuk pertanyaan lanjut", "hubungi", "para sa karagdagang impormasyon",
    "para sa mga katanungan", "para sa media",
    "makipag-ugnayan", "để biết thêm thông tin", "thông tin liên hệ",
    "liên hệ báo chí", "liên hệ", "ติดต่อสอบถามเพิ่มเติม", "ติดต่อสื่อมวลชน", "สอบถามเพิ่มเติม",
    "ติดต่อ", "សម្រាប់ព័ត៌មានបន្ថែម", "ព័ត៌មានបន្ថែម", "ទំនាក់ទំនង", "ဆက်သွယ်ရန်",
    "အသေးစိတ်သိရှိလိုပါက", "ສໍາລັບຂໍ້ມູນເພີ່ມເຕີມ", "ຕິດຕໍ່", "联络人", "聯絡人", "联系人",
    "聯繫人", "联络", "聯絡", "联系", "聯繫", "传媒查询", "傳媒查詢", "媒体查询", "媒體查詢",
    "传媒联络", "傳媒聯絡", "查询", "查詢", "お問い合わせ", "問い合わせ先", "連絡先",
    "언론 문의", "문의", "연락처", "контакты для сми", "контакты", "для справок",
    "контактное лицо", "дополнительная информация", "байланыс", "байланыш", "aloqa",
    "холбоо барих", "थप जानकारीका लागि", "सम्पर्क", "अधिक जानकारी के लिए", "संपर्क",
    "বিস্তারিত জানতে", "আরও তথ্যের জন্য", "যোগাযোগ", "গণমাধ্যম যোগাযোগ", "වැඩි විස්තර සඳහා",
    "மேலும் தகவலுக்கு", "தொடர்புக்கு", "مزید معلومات کے لیے", "میڈیا رابطہ",
    "میڈیا سے رابطے کے لیے", "میڈیا سے رابطہ", "رابطے کے لیے", "رابطہ",
    "للمزيد من المعلومات", "لمزيد من المعلومات", "للاستفسارات الإعلامية", "للتواصل", "للاتصال",
    "جهة الاتصال", "برای اطلاعات بیشتر", "تماس", "برای گفت\u200cوگو با رسانه\u200cها",
    "برای گفتگو با رسانه\u200cها", "برای گفتگو با رسانه ها", "ارتباط با رسانه\u200cها",
    "媒体联系", "媒體聯繫", "媒體聯絡", "媒体联络",
    "新闻联络人", "新聞聯絡人", "新闻联系人", "新聞聯繫人", "本件に関するお問い合わせ",
    "本件に関する問い合わせ", "報道関係者のお問い合わせ", "mọi liên lạc", "mọi liên hệ", "liên lạc",
    "ຕິດຕໍ່ສື່ມວນຊົນ", "хэвлэл мэдээллийн холбоо", "байланыс үшін", "для сми",
    "бақ өкілдеріне арналған байланыс", "бақ үшін байланыс",
    "контакты для прессы", "प्रेस संपर्क", "मीडिया संपर्क", "மேலும் விவரங்களுக்கு",
    "ஊடகத் தொடர்புகளுக்கு", "මාධ්‍ය විමසීම්", "විමසීම් සඳහා", "සම්බන්ධ කරගන්න",
    "ထပ်မံသိရှိလိုပါက", "маалымат алуу үчүн", "кошумча маалымат үчүн", "ақпарат үшін",
    "хэвлэлийн асуудлаар", "хэвлэлийнхэнд", "ommaviy axborot vositalari uchun", "matbuot uchun",
    "oav uchun", "ommaviy axborot vositalari vakillari uchun", "оав учун", "для сми",
    "bog'lanish uchun", "bog‘lanish uchun", "для прессы", "контакты для связи",
)

# Headings that name who issued the statement; one name under one is the issuer.
ISSUER_HEADINGS = ("issued by", "released by", "dikeluarkan oleh", "diterbitkan oleh",
                   "dikeluarkan", "inilabas ng", "ออกโดย", "ចេញផ្សាយដោយ", "发布单位", "發佈單位",
                   "发布", "發佈", "выпущено", "जारीकर्ता", "জারি করেছে")

# Headings of a list of people who signed, apart from the organisations: not endorsers.
PEOPLE_HEADINGS = (
    "individuals", "individual signatories", "individual endorsers", "signed by individuals",
    "perorangan", "individu", "perseorangan", "mga indibidwal", "cá nhân", "บุคคล",
    "รายชื่อบุคคล", "บุคคลที่ร่วมลงนาม", "បុគ្គល", "ပုဂ္ဂိုလ်များ", "个人", "個人", "个人联署",
    "個人聯署", "個人連署", "联署个人", "聯署個人", "个人签名", "個人簽名", "개인", "個人賛同者",
    "частные лица", "физические лица",
    "индивидуальные подписи", "व्यक्तिगत", "ব্যক্তি", "افراد", "shaxsiy imzolar",
    "jismoniy shaxslar", "жеке адамдар", "жеке тұлғалар", "хувь хүмүүс", "иргэд",
    "ບຸກຄົນ", "தனிநபர்கள்", "පුද්ගලයින්", "පුද්ගලයන්",
)

NOTES_HEADINGS = (
    "notes", "note", "footnotes", "endnotes", "references", "sources", "catatan kaki",
    "catatan", "nota kaki", "nota", "rujukan", "mga tala", "sanggunian", "mga sanggunian",
    "chú thích",
    "ghi chú", "tham khảo", "หมายเหตุ", "เชิงอรรถ", "อ้างอิง", "កំណត់សម្គាល់", "ឯកសារយោង",
    "မှတ်ချက်များ", "မှတ်ချက်", "ကိုးကား", "ໝາຍເຫດ", "注释", "註釋", "注解", "註解", "参考资料",
    "參考資料", "脚注", "각주", "примечания", "сноски", "источники", "ескертпелер",
    "тайлбар", "टिप्पणीहरू", "टिप्पणी", "सन्दर्भ", "संदर्भ", "টীকা", "তথ্যসূত্র",
    "සටහන්", "குறிப்புகள்", "حوالہ جات", "حواشی", "الهوامش", "ملاحظات", "المراجع",
    "پانویس", "یادداشت‌ها",
)

# "About X": words before the name, and words after it (in languages that put them there).
ABOUT_BEFORE = ("about", "tentang", "mengenai", "tungkol sa", "về", "เกี่ยวกับ", "អំពី",
                "ກ່ຽວກັບ", "关于", "關於", "о", "об", "عن", "حول", "درباره‌ی", "دربارهٔ", "درباره")
ABOUT_AFTER = ("အကြောင်း", "について", "소개", "туралы", "тууралуу", "жөнүндө", "haqida", "тухай",
               "को बारेमा", "बारेमा", "बारे", "के बारे में", "সম্পর্কে", "ගැන", "பற்றி", "کے بارے میں")

# The closing formula of a letter: the signatures follow it.
VALEDICTIONS = (
    "yours sincerely", "yours faithfully", "yours truly", "sincerely yours", "sincerely",
    "respectfully yours", "respectfully", "with best regards", "best regards", "kind regards",
    "with regards", "regards", "hormat kami", "salam hormat", "yang benar", "sumasainyo",
    "lubos na gumagalang", "trân trọng", "kính thư", "ขอแสดงความนับถือ", "ด้วยความนับถือ",
    "ដោយក្តីគោរព", "សូមទទួលនូវការគោរព", "လေးစားစွာဖြင့်", "ດ້ວຍຄວາມນັບຖື", "此致敬礼", "此致",
    "敬礼", "敬禮", "敬具", "с уважением", "құрметпен", "урматтоо менен", "hurmat bilan",
    "хүндэтгэсэн", "भवदीय", "বিনীত", "මෙයට විශ්වාසී", "විශ්වාසී", "தங்கள் உண்மையுள்ள", "والسلام", "مخلص",
    "مع فائق الاحترام", "مع التحية", "وتفضلوا بقبول فائق الاحترام", "با احترام",
)

# The word for "e-mail" before an address, in contact lines.
EMAIL_WORDS = ("e-mail", "email", "e-mel", "emel", "surel", "thư điện tử", "อีเมล",
               "អ៊ីមែល", "အီးမေးလ်", "ອີເມວ", "电邮", "電郵", "邮箱", "郵箱", "电子邮件", "電子郵件",
               "メール", "이메일", "эл. почта", "электронная почта", "почта", "ईमेल", "इमेल", "इ-मेल",
               "ইমেইল", "ই-মেইল", "ඊමේල්", "විද්\u200dයුත් තැපෑල", "විද්යුත් තැපෑල",
               "மின்னஞ்சல்", "ای میل", "البريد الإلكتروني",
               "بريد إلكتروني", "ایمیل", "信箱", "電子信箱", "电子信箱", "e-posta", "и-мэйл")

# "Coordinated by": the sentence after a list that says who gathered it, not a name in it.
COORDINATED_WORDS = ("coordinated by", "ประสานงานโดย", "dikoordinasikan oleh",
                     "diselaraskan oleh", "được điều phối bởi", "协调单位", "協調單位",
                     "统筹", "統籌", "координатор заявления", "координировал",
                     "координацию осуществлял", "សម្របសម្រួលដោយ", "ညှိနှိုင်းသူ",
                     "зохион байгуулж")

# The headings of a list's groups that are no country: "International", "Regional".
REGION_WORDS = ("國際", "国际", "區域", "区域", "地區", "地区", "亞洲", "亚洲", "international",
                "internasional", "antarabangsa", "serantau", "quốc tế", "khu vực", "นานาชาติ",
                "ระหว่างประเทศ", "ภูมิภาค", "международные", "региональные", "국제", "国際")

# Offices whose holders sign for an organisation under its name ("共同代表 弁護士 NAME").
OFFICE_WORDS = ("共同代表", "代表理事", "代表", "会長", "理事長", "事務局長", "委員長",
                "공동대표", "대표", "이사장", "사무총장", "상임대표", "主席", "理事长", "会长",
                "會長", "秘书长", "秘書長", "chairperson", "co-chair", "chair", "president",
                "executive director", "secretary-general", "secretary general", "pengerusi",
                "presiden", "pengarah eksekutif", "setiausaha agung", "ketua umum",
                "direktur eksekutif", "ประธาน", "ผู้อำนวยการ", "เลขาธิการ",
                "председатель", "председатель правления", "исполнительный директор",
                "سیکرٹری جنرل", "جنرل سیکرٹری", "ایگزیکٹو ڈائریکٹر", "چیئرپرسن",
                "атқарушы директор", "төраға", "гүйцэтгэх захирал", "захирал")

# What a person, not an organisation, is in a list of signatories: a title before the name
# ("Dr.", "Prof."), a patronymic inside it ("a/l", "binti"), or a profession after the
# comma ("..., pensyarah undang-undang"). Lowercase; matched as whole words.
PERSON_TITLES = ("dr.", "prof.", "atty.", "adv.", "rev.", "hon.", "mr.", "mrs.", "ms.",
                 "sister", "sr.", "brother", "br.", "father", "fr.", "bishop", "imam",
                 "venerable", "ven.",
                 "datuk", "dato'", "dato’", "tan sri", "ts.", "pn.", "en.", "sdr.", "sdri.",
                 "ආචාර්ය", "මහාචාර්ය", "පූජ්‍ය")
PATRONYMICS = ("a/l", "a/p", "bin", "binti", "bte", "bt.")
PROFESSIONS = (
    "lecturer", "lawyer", "advocate", "activist", "journalist", "researcher", "academic",
    "professor", "writer", "artist", "human rights defender", "human rights lawyer",
    "independent researcher", "student", "pensyarah", "peguam", "aktivis", "wartawan",
    "penyelidik", "ahli akademik", "penulis", "pelajar", "dosen", "jurnalis", "peneliti",
    "pengacara", "advokat", "mahasiswa", "abogado", "mamamahayag", "aktibista",
    "propesor", "nhà báo", "luật sư", "nhà hoạt động", "nhà nghiên cứu", "giảng viên",
    "นักข่าว", "ทนายความ", "นักวิชาการ", "นักกิจกรรม", "律师", "律師", "记者", "記者",
    "学者", "學者", "教授", "юрист", "адвокат", "журналист", "правозащитник", "активист",
    "исследователь", "фотограф", "блогер", "писатель", "редактор", "photographer", "blogger",
    "editor", "filmmaker", "photojournalist",
    "jurnalist", "huquq himoyachisi", "huquqshunos", "bloger", "jurnalistika o‘qituvchisi",
    "jurnalistika o'qituvchisi", "o‘qituvchi", "o'qituvchi", "faol", "tadqiqotchi",
    "журналіст", "жазушы", "құқық қорғаушы", "укук коргоочу", "сэтгүүлч", "хуульч",
    "මානව හිමිකම් ක්‍රියාකාරී", "ක්‍රියාකාරී", "කථිකාචාර්ය", "නීතිඥ", "මාධ්‍යවේදී", "පර්යේෂක",
)

# "In addition to", opening a list's last line that only counts the rest ("plus 14 other
# organisations", "إضافة إلى ١٤ منظمة أخرى"); the language's "and" comes from CLDR.
PLUS_WORDS = ("plus", "as well as", "in addition to", "along with", "إضافة إلى",
              "بالإضافة إلى", "وإضافة إلى", "ditambah", "serta", "cùng với", "а также", "ещё",
              "ほか", "その他")  # "ほか14団体": 14 others

# "At" before a sign-off's place ("ณ กรุงเทพมหานคร", "tại Hà Nội").
PLACE_WORDS = ("ณ", "tại", "di", "sa", "at", "в", "在", "于", "於", "في")

# Words a line opens with when it says when a statement was issued ("Issued on:").
ISSUED_WORDS = ("issued on", "issued", "released on", "dated", "date", "dikeluarkan pada",
                "diterbitkan", "ngày phát hành", "ออก ณ วันที่", "ວັນທີ",
                "ออกแถลงการณ์ ณ วันที่", "ออกแถลงการณ์ ณ",
                "แถลง ณ วันที่", "แถลง ณ", "แถลงเมื่อวันที่", "ออกแถลงการณ์เมื่อวันที่",
                "เผยแพร่เมื่อวันที่", "ចេញផ្សាយ", "ចុះផ្សាយ", "发布日期", "發佈日期",
                "日期", "дата", "जारी मिति", "जारी", "मिति", "दिनांक", "তারিখ", "প্রকাশের তারিখ",
                "جاری کردہ", "تاريخ الإصدار", "صدر في", "تاریخ", "ရက်စွဲ")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def label_pattern() -> re.Pattern:
    """A kind label at the start of a line; group `label`."""
    words = [w for ws in LABELS.values() for w in ws]
    return re.compile(rf"(?P<label>{_alternation(words)})", re.IGNORECASE)


@cache
def _kind_of_label() -> dict[str, str]:
    return {w.casefold(): kind for kind, ws in LABELS.items() for w in ws}


def kind_of(label: str) -> str | None:
    return _kind_of_label().get(" ".join(label.split()).casefold())


@cache
def heading_pattern(kind: str) -> re.Pattern:
    """A heading of `kind` ("endorse", "contact", "notes") at the start of a line, then an
    optional rest after its colon; groups `head` and `rest`."""
    words = {"endorse": ENDORSE_HEADINGS, "contact": CONTACT_HEADINGS,
             "notes": NOTES_HEADINGS, "people": PEOPLE_HEADINGS}[kind]
    # "Contact – Name, ...": a spaced dash parts a contact heading from its contact as a
    # colon does.
    dash = r"|(?<=\s)[-–—](?=\s+\S)" if kind == "contact" else ""
    return re.compile(rf"^(?P<head>(?:{_alternation(words)})(?:[^:：៖\n]{{0,70}}?)?)"
                      rf"\s*(?:(?:[:：៖]{dash})\s*(?P<rest>.*)|$)", re.IGNORECASE)


@cache
def words_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"(?:{_alternation(words)})", re.IGNORECASE)


@cache
def heading_words(kind: str) -> tuple[str, ...]:
    words = {"endorse": ENDORSE_HEADINGS, "contact": CONTACT_HEADINGS,
             "notes": NOTES_HEADINGS, "people": PEOPLE_HEADINGS}[kind]
    return tuple(sorted({w.casefold() for w in words}, key=len, reverse=True))
