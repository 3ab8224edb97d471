"""The site around a statement, recognised line by line: what is cut, and why.

Every rule has a reason, which the import report and `pressroom import --explain` show
beside each line cut, so a person can see that nothing of the statement was lost. Rules
look at a line's shape (a menu of short items between "|", a breadcrumb trail with "»",
a pager), at the words of the web's furniture ("Share this:", "Leave a comment", "N Views",
"2 minute read"), and at end markers ("-ENDS-", "###"), after which only the known parts of a
statement (About block, contacts, notes) follow.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import vocab
from .dates import ascii_digits

UPDATED = "a last-updated line"
EDITORS_NOTE = "an editor's note about the page"
# Emoji, as a post's reactions show them ("👍❤️😢 412"), with their selector and joiner.
_EMOJI = "[\U0001F300-\U0001FAFF\u2600-\u27BF\ufe0f\u200d]"
COMMENTS_HEADING = "the heading of the readers' comments (what follows is theirs)"
RECIPIENTS = "a message's recipients line (a mailing list's web view)"
WEB_VIEW = "a newsletter's web-view line"
# "Tel", "Phone", in the region's languages (Hindi with and without its nukta).
_PHONE_WORDS = ("tel|telp|telepon|phone|ph|fax|faks|тел|телефон|ফোন|फोन|फ़ोन|दूरभाष|فون|"
                "ٹیلیفون|전화|電話|电话|โทร")
# "Copy link", a share row's last button, in the corpus's languages.
_COPY_LINK = (r"(?:copy link|salin tautan|sao chép liên kết|скопировать ссылку|"
              r"холбоос хуулах|複製連結|复制链接|링크 복사|リンクをコピー)")
# (reason, pattern): the first that matches a whole line names why it is cut.
_RULES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE)) for reason, pattern in (
        ("an end marker", r"^(?:[-–—~*\s]*(?:ends?|end of (?:statement|release)|fin|"
                          r"முடிவு|முற்றும்|समाप्त|শেষ|අවසානය|නිමි|ختم شد|ختم|انتهى|انتهای پیام|"
                          r"پایان|hết|tamat|selesai|wakas|конец)"
                          r"[-–—~*\s]*|#{3,}|-\s*30\s*-|"
                          r"[-–—~～\s（(【\[]*(?:以上|完|終|终)[-–—~～\s）)】\]]*|[-–—\s]*끝\.?[-–—\s]*|"
                          r"[-–—\s]*(?:จบ|ចប់|ຈົບ)[-–—\s]*)$"),
        ("a link to the text in another language",
         r"^(?:read (?:this|the) (?:statement|letter|release|press release|article|post) in "
         r"[^\W\d_]+(?: [^\W\d_]+)?\.?|this (?:statement|letter|press release|article|post) "
         r"is also available in:? .{2,80}|basahin ang (?:pahayag|liham|artikulo) (?:na )?ito sa "
         r"[^\W\d_]+\.?|baca (?:pernyataan|siaran pers|surat|artikel) ini dalam bahasa "
         r"[^\W\d_]+\.?)$"),
        ("a rule or ornament", r"^(?:\*{2,}|[-–—_=~─━═]{2,}|[*·•]+(?:\s+[*·•]+)*)$"),
        ("a breadcrumb's separator, alone on its line", r"^[/\\›»>|→]$"),
        ("a link to the PDF version", r"^(?:for (?:the |a )?pdf(?: version)?(?: of (?:the|"
                                      r"this) \w+(?: \w+)?)?,? (?:please )?click here\.?|"
                                      r"(?:download|view|read) (?:the |this )?pdf(?: version)?"
                                      r"(?: here)?\.?|click here for (?:the )?pdf(?: version)?"
                                      r"\.?|download pdf.*|printer-friendly version)$"),
        ("a newsletter's sign-up box", r"^(?:thanks for reading .{1,80}! subscribe for free "
                                       r"to receive new posts and support (?:my|our) work\.?|"
                                       r"type your e-?mail(?: address)?(?:\.\.\.|…)|"
                                       r"ready for more\?)$"),
        (WEB_VIEW, r"^(?:if (?:your browser|you) (?:does not|cannot|"
                                         r"can't|are unable to) (?:render|see|view|read)\b.*|"
                                         r"view (?:this )?(?:e-?mail|newsletter) in (?:your|"
                                         r"a) (?:web )?browser\.?|forward (?:this )?to a "
                                         r"friend\.?|unsubscribe\b.*|update (?:your )?"
                                         r"subscription preferences.*|send this to a friend|"
                                         r"want to change how you receive these e-?mails\?|"
                                         r"you can update your preferences or unsubscribe"
                                         r".{0,40}|(?:you are|you're) receiving this (?:e-?mail"
                                         r"|message|newsletter) because.{0,160}|"
                                         r".{0,120}(?:এই ইমেইল পাচ্ছেন|email ini karena|"
                                         r"อีเมลฉบับนี้เนื่องจาก|получили это письмо).{0,80}|"
                                         # Russian and Kyrgyz: "if the letter / your browser
                                         # does not show (this page) correctly", "you got
                                         # this letter because you subscribed".
                                         r"если (?:это )?письмо (?:не )?отображается.{0,80}|"
                                         r"эгерде браузериңиз.{0,100}|"
                                         r"бул катты сиз.{0,120}алдыңыз\.?)$"),
        # "UPDATE (18 March 2024): The letter was handed in ...": the blog's note, written
        # after the statement was posted (its date is the note's, not the statement's).
        ("a note the site added after the statement was posted",
         r"^(?:update|updated|edit|editor's note|editor’s note)\s*(?:\((?=[^()]*\d)[^()]{4,40}"
         r"\)|(?:on )?\d{1,2}[ /.][\w.]{1,12}(?:[ /.]\d{2,4})?)\s*[:：—–-]\s*\S.{10,600}$"),
        # "The full list of 31 signatories is available on the Take action page.": where the
        # site keeps the list; it names no one.
        ("a pointer to the list of signatories kept elsewhere",
         r"^(?:the )?(?:full|complete) list of (?:all )?(?:the )?(?:\d+ )?(?:signatories|"
         r"signatures|signers|endorsers|endorsing organi[sz]ations|organi[sz]ations that "
         r"(?:signed|endorsed))\b.{0,120}\b(?:available|here|below|at|on)\b.{0,80}$"),
        ("a copyright line", r"^(?:.{0,80}©.{0,160}|copyright (?:©|\(c\)).{0,120}|"
                             r".{0,120}(?:all rights reserved|สงวนลิขสิทธิ์|版[权權]所有)\.?)$"),
        # "Students at the gate, Friday (30/8/2024). (Foto: Dok. LBHN)": a picture's caption
        # with its credit, between the text's paragraphs.
        ("a photo's caption and credit", r"^.{10,300}[(\[]\s*(?:foto|photo|photograph|ảnh|"
                                         r"ภาพ|รูป|图|圖|фото|写真|사진)\s*[:：/][^()\[\]]{1,80}"
                                         r"[)\]]\.?$"),
        ("a share or like button", r"^(?:share(?: this(?: page| post| article)?| on \w+)?|"
                                   r"like this|like loading\.*|loading\.*|tweet|print(?: this)?|"
                                   r"e-?mail|facebook|twitter|x|linkedin|whatsapp|telegram|"
                                   r"line|zalo|reddit|pinterest|pocket|more|"
                                   r"click to (?:share|print|email)\b.*|\(opens in new window\)|"
                                   r"share (?:on|to|via) \w+(?: \w+)?|listen|follow|"
                                   r"bagikan|kongsi|chia sẻ|ibahagi|แชร์|分享(?:到)?|شارك|"
                                   r"শেয়ার করুন|поделиться|ចែករំលែក|မျှဝေရန်|ツイート|シェア|共有|"
                                   r"공유(?:하기)?|신고하기|举报|舉報|report abuse|"
                                   r"پسند کریں|تبصرہ کریں|ถูกใจ|แสดงความคิดเห็น|"
                                   r"ແບ່ງປັນ|शेयर करें|பகிர்(?:க)?|(?:මෙම ලිපිය )?"
                                   r"බෙදාගන්න|شیئر کریں|хуваалцах|бөлісу|"
                                   + _COPY_LINK + r")\s*[:：៖]?"
                                   r"(?:\s*(?:facebook|twitter|x|linkedin|whatsapp|telegram|"
                                   r"line|zalo|email|e-mail|weibo|wechat|微博|微信|qq空间|qq|"
                                   r"kakaotalk|카카오톡|band|vk|вконтакте|f|t|m|"
                                   + _COPY_LINK + r"|\||·)"
                                   r"\s*)*$"),
        ("a view or comment counter", r"^(?:(?:post |page )?views?:? ?[\d,.\s]+|[\d,.]+ "
                                      r"(?:views?|comments?|hits|reads|followers|claps|"
                                      r"responses|likes|shares)|[\d,.]+[km]? followers|"
                                      r"hits:? ?[\d,.]+|"
                                      r"просмотров:? ?[\d\s]+|阅读 ?\d+ ?次|閱讀 ?\d+ ?次|"
                                      r"[\d,.]+ lượt xem|(?:\d+|no) comments?|"
                                      r"(?:lượt xem|dilihat|dibaca|ยอดวิว|เข้าชม|瀏覽次數|"
                                      r"浏览次数|浏览|瀏覽|조회수|조회|閲覧数|үзсэн|просмотры|"
                                      r"көрілім|көрүүлөр|ko'rishlar|देखा गया|দেখা হয়েছে|"
                                      r"பார்வைகள்|බැලීම්|مشاہدات)\s*[:：]?\s*[\d,.]+"
                                      r"(?:[ \u00a0\u202f]\d{3})*"  # "2 318"
                                      r"\s*(?:lần|kali|ครั้ง|次|회|回)?)$"),
        # "This statement was first published on <site>": the reposting site's note.
        ("a note of where the text was first published",
         r"^(?:this (?:statement|article|post|letter|press release|release) (?:was|is) "
         r"(?:originally|first) (?:published|posted) (?:on|by|in|at) .{1,160}|"
         r"энэхүү (?:мэдэгдэл|нийтлэл|захидал) анх .{1,160} нийтлэгдсэн(?: болно)?|"
         r"(?:pernyataan|artikel|tulisan|siaran pers) ini (?:pertama kali|awalnya|semula) "
         r"(?:diterbitkan|dimuat|dipublikasikan) .{1,160}|"
         r"bài (?:viết )?này (?:được )?đăng (?:lần đầu|đầu tiên) .{1,160}|"
         r"(?:эта статья|это заявление) (?:было |была )?(?:впервые |первоначально )?"
         r"опубликован[оа]? .{1,160})\.?$"),
        # "This is an unofficial translation; the English text prevails": the site's note
        # about its copy, above or below the text (the statement never says it of itself).
        ("a note that the page is a translation",
         r"^(?:(?:note|ໝາຍເຫດ|หมายเหตุ|catatan|nota|ghi chú|注|注意|примечание)\s*[:：]\s*)?"
         r"(?:this (?:statement|letter|press release|release|text|article) (?:is|was) "
         r"(?:an? )?(?:unofficial |informal )?(?:translat(?:ion|ed)|originally (?:published|"
         r"written) in) .{2,200}|(?:this is an? )?(?:unofficial|informal) translation\b.{0,200}|"
         r"translated from (?:the )?[^\W\d_]+\b.{0,160}|"
         r"نُ?شر هذا (?:البيان|النص|الخطاب) في الأصل باللغة .{2,160}|"
         r"(?:هذه )?ترجمة غير رسمية.{0,160}|"
         r"(?:ຖະແຫຼງການ|ຈົດໝາຍ|ບົດຄວາມ)ນີ້ແປມາຈາກ.{2,200}|"
         r"(?:แถลงการณ์|จดหมาย|บทความ)(?:ฉบับ)?นี้แปลจาก.{2,200}|"
         r"(?:pernyataan|surat|siaran pers|kenyataan) ini (?:adalah )?(?:terjemahan|"
         r"diterjemahkan) (?:dari|tidak rasmi|tidak resmi).{0,160}|"
         r"(?:本声明|本聲明|本文)(?:译自|譯自|为非官方译文|為非官方譯文).{0,160}|"
         r"(?:это|данный текст —?) ?(?:неофициальный )?перевод .{2,160}|"
         r"перевод с [^\W\d_]+ого.{0,120})$"),
        ("a reading-time line", r"^.{0,60}\b\d+\s*(?:-\s*)?(?:minute|min)s?\.? read\b.{0,80}$"),
        ("an author or posting line", r"^(?:posted (?:on|in|by)\b.{0,80}|filed under:?.{0,80}|"
                                      r"tags?:.{0,120}|labels:.{0,120}|tagged\b.{0,120}|categor(?:y|ies):.{0,120}|"
                                      r"written by\b.{0,60}|by \S+(?: \S+){0,2}|author:.{0,60}|"
                                      r"submitted by\b.{0,60}|published:?.{0,60}|details|"
                                      r"diposting pada.{0,40}|oleh \S+|โพสต์เมื่อ.{0,40}|"
                                      r"โดย \S+|đăng ngày.{0,40}|bởi .{0,40}|发布于.{0,40}|"
                                      r"發佈於.{0,40}|опубликовано:?.{0,40}|автор:.{0,40}|"
                                      r"категория:.{0,60}|подробности|ni \S+|"
                                      r"posted on|you are here:?.*|вы здесь:?.*|"
                                      # Drupal's print view: whose site, and its address
                                      r"published on .{1,80} \(https?://[^()\s]+\)|"
                                      r"(?:প্রকাশিত|प्रकाशित|প্রকাশের তারিখ|प्रकाशन तिथि|"
                                      r"प्रकाशन मिति)\s*[:：].{0,60}|"
                                      r"(?:anda di sini|anda berada di|bạn đang ở|คุณอยู่ที่|"
                                      r"您的位置|当前位置|目前位置|現在位置|現在地|현재 위치|"
                                      r"вы находитесь здесь|ທ່ານຢູ່ທີ່)\s*[:：].*|"
                                      r"(?:ටැග්|標籤|标签|タグ|태그|thẻ|label|теги|метки|тэги|"
                                      r"टैग|ป้ายกำกับ|แท็ก|குறிச்சொற்கள்|ស្លាក)\s*[:：៖].{0,160})$"),
        # An arrow at the end or start, apart from the words: "Next »", "‹ Back"; a name in
        # guillemets ("Центр «Открытый голос»") is not a pager.
        ("a pager or back link", r"^(?:«|‹|←|<<|&lt;&lt;)(?:\s[^.!?»]{0,80}|)$|"
                                 r"^(?:«|‹|←)\s[^.!?]{0,80}\s(?:»|›|→)$|"
                                 r"^(?:[^.!?«]{0,80}\s|)(?:»|›|→)$|"
                                 r"^(?:previous|next|prev|older|newer)(?: (?:post|article|"
                                 r"entry|page|story))?\s*[»›→]?$|^back to (?:top|\w+(?: \w+)?)"
                                 r"$|^top of page$|^pages?:\s*[\d\s]+$"),
        ("a link to the previous or next article", r"^(?:[«‹←]\s*)?(?:previous|next|prev)\s*[:：]"
                                                   r".{0,200}$|^(?:上一篇|下一篇|上一則|下一則|前の記事|"
                                                   r"次の記事|이전\s?글|다음\s?글|bài trước|"
                                                   r"bài (?:sau|tiếp theo)|artikel (?:sebelumnya|"
                                                   r"berikutnya|seterusnya)|previous (?:post|"
                                                   r"article|story)|next (?:post|article|story)|"
                                                   r"предыдущая (?:статья|запись|новость)|"
                                                   r"следующая (?:статья|запись|новость)|"
                                                   r"පෙර ලිපිය|ඊළඟ ලිපිය|บทความก่อนหน้า|"
                                                   r"บทความถัดไป|पिछला लेख|अगला लेख|"
                                                   r"posting (?:lebih baru|lama)|"
                                                   r"(?:newer|older) posts?|"
                                                   r"bài đăng (?:mới hơn|cũ hơn))\s*[:：]?"
                                                   r".{0,200}$"),
        ("a font-size or print control", r"^(?:(?:font|text) size|cỡ chữ|文字サイズ|字体大小|"
                                         r"字型大小|字號|글자\s?크기|ขนาดตัวอักษร|"
                                         r"размер шрифта)\b.{0,40}$|^(?:print(?: this)? "
                                         r"(?:article|page|post)|in bài(?: viết)?|"
                                         r"この記事を印刷する|印刷する|印刷|인쇄(?:하기)?|打印|列印|"
                                         r"พิมพ์|печать|версия для печати|распечатать|"
                                         r"cetak|प्रिंट करें)$"),
        ("the site's search or menu button", r"^(?:(?:open|close|buksan ang|isara ang) menu"
                                             r"(?:\s+(?:open|close|buksan ang|isara ang) menu)?|"
                                             r"menu|main menu|"
                                             r"toggle navigation|search(?: for)?:?|search\s?…|"
                                             r"search\.\.\.|cari(?:\.\.\.|…)?|tìm kiếm|"
                                             r"ค้นหา|搜索|搜尋|"
                                             r"検索|검색|поиск|खोजें|ຄົ້ນຫາ(?:\.\.\.)?)$"),
        ("an attachment's size or download count", r"^.{1,160}\.(?:pdf|docx?|hwpx?|odt|rtf|"
                                                   r"zip)\s*\(\s*[\d.,]+\s*[kmg]i?b?\s*\)$|"
                                                   r"^(?:\d[\d,]*\s*(?:회 다운로드|downloads?|"
                                                   r"lượt tải)|downloads?:\s*\d[\d,]*)$"),
        ("a comment prompt", r"^(?:leave a (?:comment|reply)(?: cancel reply)?|reply|post comment|"
                             r"(?:your email address will not be published\.?\s*)?"
                             r"(?:required fields are marked \*)?|"
                             # WordPress's comment form in Malay, Indonesian, Vietnamese
                             r"(?:alamat e-?mel anda tidak akan disiarkan\.?\s*)?"
                             r"(?:ruangan (?:yang )?wajib ditanda(?:kan)? \*)?|"
                             r"(?:alamat email anda tidak akan dipublikasikan\.?\s*)?"
                             r"(?:ruas yang wajib ditandai \*)?|"
                             r"(?:email của bạn sẽ không được hiển thị công khai\.?\s*)?"
                             r"(?:các trường bắt buộc được đánh dấu \*)?|"
                             r"post a comment|no comments:?|"
                             r"\S+(?: \S+)? says:|\d+ thoughts? on .{0,200}|"
                             r"comments? are closed\.?|add a comment\W*|新增留言\W*|"
                             r"添加评论\W*|查看全部\s*\d+\s*[則条則]留言|"
                             r"view all \d+ comments|댓글 달기\W*|コメントを追加\W*|"
                             r"most relevant|view (?:more|previous) comments|"
                             r"ความคิดเห็นที่เกี่ยวข้องมากที่สุด|ดูความคิดเห็น(?:ก่อนหน้านี้|"
                             r"เพิ่มเติม))$"),
        ("a related-posts or sidebar heading", r"^(?:related|blog archive|about me|"
                                               r"related (?:news|posts?|articles?|stories|"
                                    r"statements|content|items|links|letters|releases)|"
                                    r"recent posts|latest "
                                    r"(?:news|statements|posts)|most read|you may also like|"
                                    r"read more.{0,40}|see also|trending(?: news| now)?|"
                                    r"popular posts|more from .{1,60}|recommended(?: for you| "
                                    r"from .{1,40})?|featured posts?|bài đăng nổi bật|"
                                    r"bài viết liên quan|tin liên quan|berita terkait|"
                                    r"artikel terkait|ข่าวที่เกี่ยวข้อง|(?:บทความ|เรื่อง|โพสต์)ที่เกี่ยวข้อง|"
                                    r"相关文章|相關文章|"
                                    r"похожие материалы|читайте также|ຂ່າວທີ່ກ່ຽວຂ້ອງ|"
                                    r"(?:các )?bài (?:viết )?khác|متعلقہ (?:بیانات|خبریں|مضامین)|"
                                    r"संबंधित (?:लेख|समाचार|खबरें)|अन्य समाचार|អត្ថបទពាក់ព័ន្ធ|"
                                    r"ព័ត៌មានពាក់ព័ន្ធ|관련\s?(?:글|기사)|関連記事|"
                                    r"(?:berita|artikel) lain(?:nya)?|baca juga|lihat juga|"
                                    r"ข่าวอื่น ?ๆ|相关阅读|相關閱讀|延伸閱讀|другие новости|"
                                    r"по теме|холбоотой мэдээ|қатысты жаңалықтар|"
                                    r"தொடர்புடைய செய்திகள்|ආශ්‍රිත ලිපි|আরও পড়ুন|"
                                    r"সম্পর্কিত (?:খবর|সংবাদ|লেখা|বিবৃতি)|"
                                    r".{0,60}카테고리의 다른 글|관련 글|berkaitan|"
                                    r"(?:artikel|berita|kenyataan|bacaan) berkaitan|"
                                    r"ဆက်စပ်ဖတ်ရှုရန်|ဆက်စပ်သတင်းများ|ဆက်စပ်ဆောင်းပါးများ)\s*[:：]?$"),
        # A news portal's link to another of its articles, between a repost's paragraphs.
        ("a teaser for another article", r"^(?:baca (?:juga|pula)|simak juga|lihat juga|"
                                         r"also read|read also|xem thêm|đọc thêm|"
                                         r"อ่านเพิ่มเติม|อ่านข่าวที่เกี่ยวข้อง|читайте также|"
                                         r"相关阅读|相關閱讀|延伸閱讀|推荐阅读|推薦閱讀|"
                                         r"あわせて読みたい|함께 보면 좋은 글|관련 기사)"
                                         r"\s*[:：]\s*\S.{2,200}$"),
        # A post's reactions under it: "공감 14", "Нравится 52", "赞 1024", "スキ 128".
        ("a like, comment or share count", r"^(?:(?:공감|댓글|좋아요|스크랩|スキ|いいね|コメント|"
                                           r"赞|点赞|转发|评论|收藏|讚|轉發|留言|"
                                           r"нравится|комментари[йи]|репост(?:ы|ов)?|"
                                           r"просмотр(?:ы|ов)?|likes?|comments?|shares?|"
                                           r"reposts?)\s*[:：]?\s*[\d,.]+[km万萬]?|"
                                           r"[\d,.]+[km万萬]?\s*(?:تبصرے|شیئرز|comments?|"
                                           r"shares?|reactions?|likes?|個讚|个赞|条评论|"
                                           r"次转发|개의 댓글)|"
                                           rf"(?:{_EMOJI}\s*)+[\d,.]+[km万萬]?|"
                                           # "👍❤️ You and 1.2K others": who reacted
                                           rf"(?:{_EMOJI}\s*){{1,6}}\S.{{0,60}}\d.{{0,30}}|"
                                           r"ความคิดเห็น\s*[\d,.]+\s*รายการ(?:\s+แชร์\s*"
                                           r"[\d,.]+\s*ครั้ง)?)$"),
        (COMMENTS_HEADING, r"^[\d,.]+\s+(?:comments?|nhận xét|bình luận|komentar|komen|"
                           r"ความคิดเห็น|개의 댓글|댓글|件のコメント|コメント|条评论|則留言|"
                           r"комментари[йяев]{0,2}|responses?|replies|thoughts? on .{1,200})"
                           r"\s*[:：]?$"),
        (RECIPIENTS, r"^to (?:[a-z0-9][a-z0-9._-]*-[a-z0-9._-]+|[\w.+-]+@[\w.-]+)"
                     r"(?:,\s*(?:me|[\w.+-]+@[\w.-]+))*$"),
        ("a mailing list's footer", r"^(?:you received this message because you are "
                                    r"subscribed to the google groups .{1,120}|to unsubscribe "
                                    r"from this group and stop receiving e-?mails from it,.{0,"
                                    r"160}|to view this discussion (?:on the web )?visit .{1,"
                                    r"300}|to post to this group, send e-?mail to .{1,120})$"),
        # "kyrg-official:" above a reblogged post: the account it was reblogged from.
        ("a reblog's author line", r"^[a-z0-9]+(?:-[a-z0-9]+)+\s*:$"),
        ("a site's prompt to readers", r"^(?=.{0,120}$)(?:.*ctrl\s*\+\s*enter.*|"
                                       r"この記事が気に入ったら.*|記事をサポート|"
                                       r"ログインしてコメントしてみよう|"
                                       r"(?:подпишитесь|subscribe to our|follow us on|ikuti kami|"
                                       r"theo dõi chúng tôi|ติดตามเรา|关注我们|關注我們|"
                                       r"біздің .{1,30} жазылыңыз).*|"
                                       r"(?:комментарии (?:отключены|закрыты)|komentar ditutup|"
                                       r"bình luận đã (?:đóng|tắt)|ปิดการแสดงความคิดเห็น|"
                                       r"comments (?:are )?(?:off|disabled))\.?)$"),
        ("a comment counter or prompt", r"^(?:(?:comments?|komen|komentar|bình luận|ຄຳເຫັນ|"
                                        r"ความคิดเห็น|댓글|コメント|评论|評論|留言|"
                                        r"комментари[йи]|टिप्पणियाँ|टिप्पणी|تبصرے|"
                                        r"கருத்துகள்)\s*[(（]\s*\d+\s*[)）]|"
                                        r"gửi bình luận(?: của bạn)?|ຂຽນຄຳເຫັນ|"
                                        r"(?:tulis|kirim|posting|hantar) (?:komentar|komen)|"
                                        r"(?:tidak ada|tiada) (?:komentar|komen)\b.{0,80}|"
                                        r"be the first to comment\.?|no comments yet\.?|"
                                        r"댓글(?:을)? (?:남기기|쓰기)|コメントを(?:書く|残す)|"
                                        r"등록된 댓글이 없습니다\.?|"
                                        r"发表评论|發表評論|оставить комментарий|"
                                        r"टिप्पणी (?:करें|लिखें)|اپنی رائے دیں|মন্তব্য করুন|"
                                        r"আপনার মন্তব্য লিখুন(?:\.{3}|…)?)$"),
        ("a back-to-top link", r"^(?:ページの先頭へ(?:戻る)?|トップへ戻る|맨\s?위로|返回顶部|"
                               r"回到頂部|回到顶部|กลับด้านบน|наверх|về đầu trang|"
                               r"kembali ke atas|ke atas)\s*[↑▲]?$"),
        ("a blog's share links", r"^(?:kirimkan ini lewat(?: email)?|blogthis!|email this|"
                                 r"berbagi ke \S+|bagikan ke \S+|share to \S+|"
                                 r"(?:diposting|posted) oleh .{1,60}|posted by .{1,60} at .{1,20}|"
                                 r"แชร์ข่าวนี้\s*[:：].{0,80})$"),
        ("a newsletter prompt", r"^(?=.{0,70}$).*(?:newsletter|bản tin|จดหมายข่าว|نیوز لیٹر|"
                                r"न्यूज़लेटर|뉴스레터|ニュースレター|邮件订阅|電子報|рассылк|"
                                r"buletin).*$|^we (?:will )?never share your \w+(?: \w+)?\.?$|"
                                r"^(?=.{0,100}$)(?:get|receive) (?:our|the latest) .{1,60} (?:by|"
                                r"via|in your) (?:e-?mail|inbox)\.?$"),
        # A site's cookie banner, its sentence copied with the page.
        ("a cookie notice", r"^(?=.{0,400}$)(?:.*\b(?:we use cookies|(?:web)?site uses cookies|"
                            r"uses cookies to|use of cookies|cookie (?:policy|settings|"
                            r"preferences))\b.*|.*(?:menggunakan cookie|menggunakan kuki|"
                            r"sử dụng cookie|ใช้คุกกี้|使用\s?cookies?|использует (?:файлы )?"
                            r"cookie|cookie файл).*)$"),
        ("a subscription prompt", r"^(?:subscribe(?: now| to (?:our|the) .{1,40}| to:.{0,60})?|"
                                  r"(?:langganan|สมัครสมาชิก|đăng ký|подписаться)\s*[:：].{0,60}|"
                                  r"sign up for .{1,60}|\* ?you will receive .{1,80}|"
                                  r"written by \S+(?: \S+){0,3}|sign in|log in)$"),
        # "Last updated: 2023.11.21": when the site last touched the page, never the day the
        # statement was issued (it gives no date: structure._chrome).
        (UPDATED, r"^(?:last updated|last modified|updated on|page last updated|huling binago|"
                  r"huling na-update|"
                  r"cập nhật lần cuối|cập nhật lúc|อัปเดตล่าสุด|แก้ไขล่าสุด|最后更新|最後更新|"
                  r"最終更新|마지막 수정|terakhir diperbarui|dikemaskini|kemas kini terakhir|"
                  r"последнее обновление|обновлено|соңғы жаңарту|жаңартылды|"
                  r"сүүлд шинэчилсэн|шинэчилсэн огноо|अन्तिम अद्यावधिक|अंतिम अपडेट|"
                  r"সর্বশেষ হালনাগাদ|آخری تازہ کاری|آخر تحديث|آخرین به‌روزرسانی)"
                  r"\s*[:：]?\s*.{0,40}$"),
        ("a caption", r"^(?:featured image|photo:.{0,80}|image:.{0,80}|"
                      r".{0,200}[.\s](?:photo|foto|image|credit|ảnh|ภาพ|รูป|фото|图|圖|"
                      r"সূত্র|छवि)\s*[:：]\s*\S[^.]{0,40})$"),
        ("a skip link", r"^(?:skip to (?:the )?(?:main )?(?:content|navigation)|"
                        r"laktawan sa (?:nilalaman|pangunahing nilalaman)|"
                        r"(?:langsung|lompat|loncat) ke (?:konten|isi)(?: utama)?|"
                        r"bỏ qua nội dung|chuyển đến nội dung|ข้ามไป(?:ที่|ยัง)เนื้อหา(?:หลัก)?|"
                        r"跳到(?:主要)?内容|跳至(?:主要)?內容|перейти к (?:содержимому|"
                        r"содержанию))$"),
        ("a call to another page, its arrow after its words", r"^.{0,160}\s→$"),
        # The banner a mail system puts over a message from outside ("CAUTION: This email
        # originated from outside of the organization..."), in a saved or forwarded e-mail.
        ("a mail system's warning about an outside sender",
         r"^(?=.{0,300}$)(?:\[?(?:external|caution|warning|внимание|diqqat)\]?\s*[:!]?\s*)?"
         r"(?:this (?:e-?mail|message) (?:originated|came|comes|was sent|is) from "
         r"(?:outside|an external)|you don't often get email from|"
         r"(?:это|данное) (?:письмо|сообщение) (?:пришло|получено|отправлено) (?:из|от|с) "
         r"(?:внешн|внешнего)|ushbu (?:xabar|xat) tashqi manba|"
         r"e-?mel ini (?:berasal|datang) dari luar|email ini berasal dari luar).*$"),
        ("a mailing list's note on the message", r"^\(?(?:apologies for cross-?posting|"
                                                 r"please (?:forward|circulate) widely|"
                                                 r"(?:with )?apologies for duplicates?)\)?\.?$"),
        ("a for-release line", r"^(?:for immediate release|embargoed until.{0,60}|"
                               r"not for publication before.{0,60}|para sa agarang pag(?:la)?labas|"
                               r"untuk (?:segera )?disiarkan(?: segera)?|untuk siaran segera|"
                               r"untuk (?:segera )?diterbitkan(?: segera)?|"
                               r"để phát hành ngay|(?:สำหรับ)?เผยแพร่ทันที|即时发布|即時發佈|即時發布|"
                               r"для немедленной публикации|дароо жарыялоо үчүн|"
                               r"дереу жариялау үшін|तत्काल प्रकाशन (?:के लिए|हेतु)|"
                               r"সংবাদপত্রে প্রকাশের জন্য|(?:তাৎক্ষণিক|অবিলম্বে) প্রকাশের জন্য|"
                               r"ផ្សព្វផ្សាយភ្លាមៗ|වහාම නිකුත් කිරීම සඳහා|"
                               r"உடனடி வெளியீட்டுக்கு|உடனடியாக வெளியிட|"
                               r"برای انتشار فوری|فوری اشاعت کے لیے|برائے فوری اشاعت|للنشر الفوري|"
                               r"ເພື່ອເຜີຍແຜ່ທັນທີ|ချက်ချင်းထုတ်ပြန်ရန်|"
                               # a Korean release's header: "보도시점: 즉시 보도 가능"
                               r"(?:보도\s?시점|엠바고)\s*[:：].{1,40}|"
                               r"즉시 보도(?: 가능)?)\s*[:：]?$"),
        ("a press release's page count", r"^(?:쪽수|매수|분량)\s*[:：]\s*(?:총\s*)?\d+\s*"
                                         r"(?:쪽|매|장|페이지)$"),
        ("a 'powered by' line", r"^(?=.{0,120}$).*(?:powered by|diberdayakan oleh|dikuasakan oleh|"
                                r"ขับเคลื่อนโดย|được cung cấp bởi|提供技术支持|работает на) "
                                r"(?:wordpress|blogger|joomla|drupal|hugo|medium|ghost|"
                                r"1c-bitrix|bitrix)\b.*$"),
        ("a page number", r"^(?:page \d+ of \d+|\d+ of \d+|- ?\d+ ?-)$"),
        # A social network's post, copied: its time ("3 araw ·", "2h ·", "5 March at 10:32
        # ·": the "·" before the audience icon) and the picture's generated description.
        ("a post's time on a social network", r"^(?=.{1,40}$)(?=.*\d).*\S\s+·\s*$"),
        ("a picture's description made by the social network",
         r"^(?:may be an? (?:image|graphic|illustration|photo|cartoon|meme|screenshot) of .*|"
         r"no photo description available\.?|maaaring (?:larawan|graphic|ilustrasyon|"
         r"screenshot) ng .*|mungkin (?:gambar|grafik|ilustrasi) .*|"
         r"có thể là (?:hình ảnh|hình minh họa|ảnh chụp màn hình) .*|อาจเป็นรูป.*)$"),
        ("a letterhead's telephone line", rf"^(?=.{{0,200}}$)(?:.*\s)?(?:{_PHONE_WORDS}|t|f)"
                                          r"\s*[:.]\s*[+(]?\d[\d\s\-()]{5,}"
                                          r".*(?:\||·|•|www\.|fax|faks).*$"),
        # ... or the phone last, after the address and a bar.
        ("a letterhead's telephone line", rf"^(?=.{{0,200}}$).{{8,}}\s(?:\||·|•)\s*"
                                          rf"(?:{_PHONE_WORDS})\s*[:.]\s*"
                                          r"[+(]?\d[\d\s\-()]{5,}$"),
        ("a letterhead's address", r"^(?:no\.?\s*\d[\w\-/]*,|jl\.|jalan\b|lot\s+\d).{5,110}"
                                   r",\s*\d{5}\s+[^\d,.!?]{3,40}(?:,\s*[^\d,.!?]{3,30})?$"),
        # "Regional Secretariat · 88/4 Soi Ari 5, ... Bangkok 10400 · www.marn.example.org":
        # pieces of an address between dots or bars, ending in the web or e-mail address.
        ("a letterhead's address", r"^(?=.{0,200}$)[^.!?]{3,80}\s[·•|]\s[^!?]{3,120}\s[·•|]\s"
                                   r"(?:www\.|https?://)?[\w.-]+\.[a-z]{2,}(?:/\S*)?$"),
        # "អាសយដ្ឋាន៖ ផ្ទះលេខ ៤៥ ...", "Alamat: Jl. ...": the label says it is an address.
        ("a letterhead's address", r"^(?=.{0,200}$)(?:address|alamat|ที่อยู่|អាសយដ្ឋាន|"
                                   r"ທີ່ຢູ່|địa chỉ|地址|住所|адрес|पता|ঠিকানা|လိပ်စာ|"
                                   r"хаяг|мекенжай)\s*[:：៖]\s*\S.{5,}$"),
        ("a letterhead's registration line", r"^[(（]?\s*(?:registration|registered|reg\.|"
                                             r"company|badan hukum|akta pendirian|sk "
                                             r"kemenkumham|no\. pendaftaran|ppm)\b.{0,120}?"
                                             r"[)）]?$"),
        ("a letter's reference number", r"^(?:(?:our ref|your ref|ref|reference|no\.? surat|"
                                        r"nomor|no)\s*\.?\s*[:：]|исх\.?\s*№)\s*[\w./\-]{3,40}$"),
        ("a site builder's footer", r"^(?:google sites|report abuse|page details|page updated|"
                                    r"made with notion|powered by (?:squarespace|wix|weebly|"
                                    r"tilda|ghost|substack)|create your website.{0,40})$"),
        # (Weibo closes each tag: "#反家暴法#"; a vowel sign is no word character to re.)
        ("a line of hashtags", r"^(?:#[^\W_][^\s#]*#?\s*){1,12}$"),
        ("a post's collapse or expand link", r"^(?:(?:…|\.{3})\s*)?(?:收起全文|展开全文|"
                                             r"展開全文|收起|"
                                             r"查看更多|see less|see more|ver menos|"
                                             r"lihat lebih sedikit|مزید دیکھیں|더보기|"
                                             r"もっと見る|ดูเพิ่มเติม|थप हेर्नुहोस्|और देखें|"
                                             r"আরও দেখুন|ещё|показать полностью)[a-z]?$"),
        ("a donation appeal", r"^(?:donate(?: now| today)?|support (?:our|independent|this) "
                              r".{0,60}|.{0,200}\b(?:your donation|donate today|make a "
                              r"donation|support us with a (?:gift|donation))\b.{0,160})$"),
        # "... The editors' view may not be the authors'": a reposting site's word that the
        # text is someone else's (with the sentence before it that announces the text).
        ("a reposting site's note that the views are the authors'",
         r"^.{0,300}?(?:мнение редакции (?:может )?не (?:обязательно )?совпада\w+ с мнением "
         r"автор\w*|редакцияның (?:ұстанымы|пікірі|көзқарасы).{0,80}?сәйкес келмеуі мүмкін|"
         r"редакциянын (?:көз карашы|пикири).{0,80}?дал келбеши мүмкүн|tahririyat (?:fikri|"
         r"nuqtai nazari).{0,60}?mos kelmasligi mumkin|the views expressed .{0,80}?do not "
         r"necessarily reflect (?:those|the views) of .{1,60}?)\.?$"),
        # "本站仅作存档之用，文字版权归原作者所有": an archive's word on what it keeps.
        ("an archive's notice about its copies",
         r"^(?:本站(?:仅|僅)(?:作|供)(?:存档|存檔|参考|參考|资料|資料).{0,160}|"
         r"(?:this (?:site|archive) (?:is|serves) (?:only )?(?:as )?an archive|"
         r"all texts remain the property of their authors).{0,160})$"),
        ("a news portal's editor line", r"^[（(]?\s*(?:责任编辑|責任編輯|编辑|編輯|本网编辑|"
                                        r"editor|редактор)\s*[:：]\s*[^()（）]{1,30}[）)]?$"),
        # "Editor's note: this release was corrected...", "编者按：...": the site speaking
        # about its page (a correction, a translation, a repost), not the statement.
        (EDITORS_NOTE, r"^(?:editor['’]s note|ed\. note|note from the editors?|"
                       r"archivist['’]s note|archive note|存档说明|存檔說明|编者按|编按|"
                       r"編者按|編按|catatan redaksi|nota editor|ghi chú của (?:ban )?biên tập|"
                       r"lời tòa soạn|หมายเหตุบรรณาธิการ|от редакции|примечание редакции)"
                       r"\s*[:：].{1,500}$"),
    )
)
# The rules as one pattern, rule n the group "rn": the engine tries them in order, as a loop
# over them would, in one call (a call a rule was most of the time of a line that is no chrome).
_ANY_RULE = re.compile("|".join(f"(?P<r{n}>{pattern.pattern})"
                                for n, (_, pattern) in enumerate(_RULES)), re.IGNORECASE)


def _case_free(pattern: str) -> bool:
    """Whether `pattern` with IGNORECASE matches an ASCII text exactly where the pattern
    without it matches the text in lowercase: it holds no uppercase ASCII letter and no
    character that IGNORECASE pairs with an ASCII one ("K", the Kelvin sign, with "k"; "ı"
    with "i"), and no group sets flags of its own. Read from the parse of the pattern by the
    re module's own parser; any doubt is a no."""
    try:
        import _sre
        from re import _casefix, _parser
        from re import _constants as sre

        def plain(code: int) -> bool:
            if code < 128:
                return not 65 <= code <= 90
            lower = _sre.unicode_tolower(code)
            return all(c >= 128 for c in (lower, *_casefix._EXTRA_CASES.get(lower, ())))

        def free(items) -> bool:
            for op, av in items:
                if op in (sre.LITERAL, sre.NOT_LITERAL):
                    ok = plain(av)
                elif op is sre.IN:
                    ok = all(plain(a) if o is sre.LITERAL else
                             all(map(plain, range(a[0], a[1] + 1))) if o is sre.RANGE else
                             o in (sre.CATEGORY, sre.NEGATE) for o, a in av)
                elif op is sre.BRANCH:
                    ok = all(map(free, av[1]))
                elif op is sre.SUBPATTERN:
                    ok = not av[1] and not av[2] and free(av[3])
                elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                    ok = free(av[2])
                elif op in (sre.ASSERT, sre.ASSERT_NOT):
                    ok = free(av[1])
                else:
                    ok = op in (sre.ANY, sre.AT)
                if not ok:
                    return False
            return True

        return free(_parser.parse(pattern))
    except Exception:  # another Python's internals: the rules are matched as written
        return False


# For a line whose characters beyond ASCII have no case (most lines: none, or a dash, curly
# quotes), the rules without IGNORECASE on the line in lowercase: the same matches (see
# `_case_free`; a character without case is matched by itself either way) in two thirds of
# the time, as case-sensitive matching skips a branch at its first letter.
_ANY_RULE_LOWER = re.compile(_ANY_RULE.pattern) if _case_free(_ANY_RULE.pattern) else None
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")
# More characters beyond ASCII than this, and telling that none has a case costs more than the
# pattern without IGNORECASE saves.
_FEW_BEYOND_ASCII = 16


# Longer than any line of chrome (the corpus's longest is under 250): a paragraph, which the
# rules' repeated groups ("* * *") would otherwise walk keeping a frame a repeat.
_LONGEST_RULE_LINE = 2_000


def _rules_match(text: str) -> re.Match | None:
    if len(text) > _LONGEST_RULE_LINE:
        return None
    if _ANY_RULE_LOWER is not None and (text.isascii() or _caseless(text)):
        return _ANY_RULE_LOWER.match(text.lower())
    return _ANY_RULE.match(text)


def _caseless(text: str) -> bool:
    """No character of `text` beyond ASCII has a case (as the re module tells it), and there
    are few of them."""
    import _sre

    beyond = _BEYOND_ASCII.findall(text)
    return len(beyond) <= _FEW_BEYOND_ASCII and not any(
        _sre.unicode_iscased(ord(c)) for c in beyond)


_LIST_MARK = re.compile(r"^[-•*▪●◦·+]\s+")
# A menu, a breadcrumb trail or a meta line: short pieces between "|", "•", "»", ">" or "/".
_MENU_SPLIT = re.compile(r"\s+[|•·]\s+|\s*\|\s*")
_CRUMB_SPLIT = re.compile(r"\s+(?:»|›|>|/|&gt;)\s+")
# Each splitter with the marks it cannot match without: a line with none is not split.
_SPLITTERS = ((_MENU_SPLIT, ("|", "•", "·")), (_CRUMB_SPLIT, ("»", "›", ">", "/", "&gt;")))
_SENTENCE_END = re.compile(r"[.!?。！？।۔]$")
# Words of the web's furniture inside a menu or meta line.
_READ_MORE_WORDS = ("read more", "selengkapnya", "baca selengkapnya", "อ่านต่อ", "xem thêm",
                    "阅读更多", "閱讀更多", "подробнее")
READ_MORE = re.compile(rf"\b(?:{'|'.join(_READ_MORE_WORDS)})\s*»?\s*$", re.IGNORECASE)
_SOURCE_WORDS = (r"(?:source(?: url)?|sumber|nguồn|ที่มา|来源|來源|источник|المصدر|эх сурвалж|"
                 r"дереккөз|дерек көзі|булак|manba|स्रोत|উৎস|මූලාශ්‍රය|மூலம்|ماخذ|"
                 r"منبع|出典|출처|ប្រភព|ແຫຼ່ງທີ່ມາ|မူရင်း)\s*[:：]")
SOURCE_LINE = re.compile(rf"^{_SOURCE_WORDS}"
                         r"\s*(?P<url>https?://\S+)\s*(?:\[[^\[\]]{1,80}\])?\s*$", re.IGNORECASE)
# "來源：台灣人權捍衛者網絡（TNRD）": a repost's line naming whose statement it is.
SOURCE_NAMED = re.compile(rf"^{_SOURCE_WORDS}\s*(?P<name>[^\s:/][^:/]{{1,100}})$", re.IGNORECASE)
# (Tistory's copy adds the blog's name: "출처: https://... [Blog name:티스토리]".)


@lru_cache(maxsize=8192)  # pure, and asked of the same line several times
def chrome_reason(text: str, in_list: bool = False) -> str | None:
    """Why the line `text` is the site's and not the statement's, or None."""
    text = text.strip()
    if not text:
        return None
    bare = _LIST_MARK.sub("", text, count=1)
    # The first rule that the line or the line without its list mark matches.
    found = _rules_match(text)
    if bare is not text and bare:
        without = _rules_match(bare)
        if without is not None and (found is None or _rule(without) < _rule(found)):
            found = without
    if found is not None:
        return _RULES[_rule(found)][0]
    if vocab.is_section_label(bare):
        return "the name of a section of the site"
    if _read_more(text):
        return "a teaser ending in \"read more\""
    if SOURCE_LINE.match(text):
        return "the page's address (kept as source_url)"
    if not in_list and _is_menu(text):
        return "a menu, breadcrumb trail or meta line"
    return None


def _rule(match: re.Match) -> int:
    return int(match.lastgroup[1:])  # (a rule's own groups close before the rule's)


def _read_more(text: str) -> bool:
    """`READ_MORE.search(text)`, tried only where its words can start: they end where the
    line's last spaces and "»" begin (a search from every character of a paragraph was
    a third of the time of a line's chrome rules)."""
    tail = text.rstrip()
    if tail.endswith("»"):
        tail = tail[:-1].rstrip()
    return READ_MORE.search(text, max(0, len(tail) - _READ_MORE_LONGEST)) is not None


_READ_MORE_LONGEST = max(map(len, _READ_MORE_WORDS))


def _is_menu(text: str) -> bool:
    if len(text) > 200:
        return False
    for splitter, marks in _SPLITTERS:
        if not any(mark in text for mark in marks):
            continue
        pieces = [p for p in splitter.split(text) if p.strip()]
        if len(pieces) >= 2 and len(splitter.findall(text)) >= 1 and all(
                len(p.split()) <= 6 and len(p) <= 60 for p in pieces[:-1]):
            if splitter is _CRUMB_SPLIT and len(pieces[0].split()) > 3:
                continue
            if len(pieces) == 2 and vocab.kind_of(pieces[0].strip()) and (
                    len(pieces[1].split()) >= 4):
                return False  # "PAHAYAG | Itigil ang ...": a kind's label, then the title
            if not _SENTENCE_END.search(text) or splitter is _CRUMB_SPLIT:
                return True
    return False


_COPYRIGHT_WORDS = re.compile(
    r"copyright|©|\(c\)|all rights reserved\.?|some rights reserved\.?|hak cipta(?: terpelihara)?|"
    r"版权所有|版權所有|สงวนลิขสิทธิ์|bản quyền|все права защищены\.?|सर्वाधिकार सुरक्षित|"
    r"রক্ষিত|រក្សាសិទ្ធិគ្រប់យ៉ាង|جميع الحقوق محفوظة|حقوق (?:النشر|الطبع)(?: محفوظة)?|"
    r"کلیه حقوق محفوظ است|جملہ حقوق محفوظ ہیں|ສະຫງວນລິຂະສິດ|모든 권리 보유|"
    r"\d{2,4}(?:\s*[-–]\s*\d{2,4})?", re.IGNORECASE)


def copyright_owner(text: str) -> str | None:
    """"Copyright © 2021 Myanmar Civil Society Forum" -> "Myanmar Civil Society Forum";
    what follows the first full stop or bar ("Powered by ...") is not the owner."""
    text = ascii_digits(text)
    rest = _COPYRIGHT_WORDS.sub(" ", text)
    pieces = re.split(r"[.|·•។。]|\s[-–—]\s|,\s*(?=\d|$)", rest.strip(" ,،.·|"))
    # "© حقوق النشر 2024، جميع الحقوق محفوظة | <owner>": the words said, the owner after.
    name = next((p for p in pieces if len(p.strip(" ,،;:")) >= 3), pieces[0])
    name = " ".join(name.split()).strip(" ,،;:")
    if len(name) < 3 or re.search(r"powered by|wordpress|joomla|blogger", name, re.IGNORECASE):
        return None
    return name
