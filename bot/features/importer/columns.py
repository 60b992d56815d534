"""The documented columns of the three import kinds: courses, sessions and results.

Every column has an English key (also its English header), a Korean header and a note in both
languages; headers are recognised in either language, ignoring case, spaces, `_` and brackets.

courses — one row a course, keyed by `code`:
  code (과정코드, required, e.g. 2019-01) · year (연도, required) · type (유형, required:
  planned | cooperative | customised) · theme (분야: smart_city, water, e_government,
  transport, urban_management, governance, climate_change, international_cooperation) ·
  title_en / title_ko / title_zh / title_es / title_ru (과정명(영어) …; English or Korean
  required) · partner (협력기관: an organisation code such as METROPOLIS, WEGO) · starts,
  ends (시작일, 종료일: dates, ends ≥ starts) · seats (정원, ≥ 0) · language (연수언어:
  en | zh | es | ru | ko) · venue_en, venue_ko (장소) · audience (대상: all, members:ORG,
  organisation:ORG, countries:AR,CN or cities:key,key) · apply_until (신청마감일) ·
  status (상태: planned | open | tentative | completed | cancelled) · note_en, note_ko (비고).
sessions — one row a programme item, keyed by course and start:
  course (과정코드, required) · date (날짜, required) · start (시작시각, HH:MM, required) ·
  end (종료시각) · kind (구분, required: lecture, site_visit, presentation, cultural,
  ceremony, meal, travel, free) · title_en … title_ru (제목; English or Korean required) ·
  place_en, place_ko (장소) · speaker_en, speaker_ko (강사).
results — one row a finished course, keyed by course:
  course (과정코드, required) · trainees (연수인원, required, ≥ 0) · satisfaction (만족도,
  1–5) · budget (예산(천원), KRW thousand, ≥ 0) · places (국가(도시): countries and cities as
  recorded, e.g. "Mexico (Jalisco); Philippines (General Santos, Manila); Singapore").

A column that is absent leaves that field of existing rows untouched; a blank cell in a present
column clears the field. A course's sessions in a file replace that course's programme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.features.schedule.api import SESSION_KINDS
from bot.features.schedule.models import COURSE_TYPES, THEMES

KINDS = ("courses", "sessions", "results")
SHEET_NAMES = {
    "courses": ("courses", "course", "과정", "과정목록"),
    "sessions": ("sessions", "session", "schedule", "일정", "세부일정"),
    "results": ("results", "result", "실적", "결과"),
}
SHEET_KO = {"courses": "과정", "sessions": "일정", "results": "실적"}
NOTES_SHEET = ("notes", "설명")
LANGS = ("en", "ko", "zh", "es", "ru")
LANG_KO = {"en": "영어", "ko": "한국어", "zh": "중국어", "es": "스페인어", "ru": "러시아어"}
LANG_EN = {"en": "English", "ko": "Korean", "zh": "Chinese", "es": "Spanish", "ru": "Russian"}
COURSE_STATUSES = ("planned", "open", "tentative", "completed", "cancelled")
TEXT_FIELDS = {"title", "venue", "note", "place", "speaker"}  # per-language JSON fields

# Korean words staff type for the coded values.
VALUE_ALIASES = {
    "type": {"기획": "planned", "기획연수": "planned", "협력": "cooperative",
             "협력연수": "cooperative", "맞춤형": "customised", "맞춤형연수": "customised",
             "customized": "customised"},
    "theme": {"스마트시티": "smart_city", "물관리": "water", "상수도": "water",
              "전자정부": "e_government", "교통": "transport", "도시교통": "transport",
              "도시관리": "urban_management", "거버넌스": "governance",
              "기후변화": "climate_change", "국제협력": "international_cooperation"},
    "status": {"계획": "planned", "모집중": "open", "미정": "tentative", "완료": "completed",
               "취소": "cancelled"},
    "language": {"영어": "en", "중국어": "zh", "스페인어": "es", "러시아어": "ru",
                 "한국어": "ko"},
    "kind": {"강의": "lecture", "현장방문": "site_visit", "발표": "presentation",
             "문화": "cultural", "문화체험": "cultural", "행사": "ceremony", "식사": "meal",
             "이동": "travel", "자유": "free", "자유시간": "free"},
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One documented column of an import sheet."""

    key: str
    ko: str
    type: str  # text | int | decimal | date | time | choice | places | audience
    note_en: str
    note_ko: str
    example: object = None
    required: bool = False
    choices: tuple[str, ...] = ()


def _titles(field: str, ko: str, en_word: str, examples: dict, langs=LANGS) -> list[Column]:
    return [
        Column(
            f"{field}_{lang}",
            f"{ko}({LANG_KO[lang]})",
            "text",
            f"{en_word} in {LANG_EN[lang]}",
            f"{ko} ({LANG_KO[lang]})",
            examples.get(lang),
        )
        for lang in langs
    ]


COURSES = [
    Column(
        "code",
        "과정코드",
        "text",
        "Course code, unique (e.g. 2019-01)",
        "과정 고유 코드 (예: 2019-01)",
        "2019-01",
        True,
    ),
    Column("year", "연도", "int", "Programme year", "연수 연도", 2019, True),
    Column(
        "type",
        "유형",
        "choice",
        "planned, cooperative or customised",
        "기획(planned), 협력(cooperative), 맞춤형(customised)",
        "planned",
        True,
        COURSE_TYPES,
    ),
    Column("theme", "분야", "choice", "Policy field code", "분야 코드", "water", choices=THEMES),
    *_titles(
        "title",
        "과정명",
        "Course title",
        {"en": "Water Management (MITI)", "ko": "상수도 과정 (기획연수)"},
    ),
    Column(
        "partner",
        "협력기관",
        "text",
        "Partner organisation code (e.g. METROPOLIS, WEGO)",
        "협력기관 코드 (예: METROPOLIS, WEGO)",
        "METROPOLIS",
    ),
    Column(
        "starts",
        "시작일",
        "date",
        "First day (date or YYYY-MM-DD)",
        "시작일 (날짜 또는 YYYY-MM-DD)",
        "2019-06-16",
    ),
    Column(
        "ends",
        "종료일",
        "date",
        "Last day, not before the first",
        "종료일 (시작일 이후)",
        "2019-06-23",
    ),
    Column("seats", "정원", "int", "Seats (0 or more)", "정원 (0 이상)", 13),
    Column(
        "language",
        "연수언어",
        "choice",
        "Instruction language",
        "연수 언어 코드",
        "en",
        choices=LANGS,
    ),
    *_titles(
        "venue",
        "장소",
        "Venue",
        {"en": "Seoul Human Resources Development Center", "ko": "서울특별시 인재개발원"},
        ("en", "ko"),
    ),
    Column(
        "audience",
        "대상",
        "audience",
        "all, members:ORG, organisation:ORG, countries:AR,CN or cities:key,key",
        "all, members:기관코드, organisation:기관코드, countries:국가코드, cities:도시키",
        "all",
    ),
    Column(
        "apply_until",
        "신청마감일",
        "date",
        "Last day to apply (blank: the day before)",
        "신청 마감일 (빈칸: 시작 전날까지)",
        "2019-05-31",
    ),
    Column(
        "status",
        "상태",
        "choice",
        "planned, open, tentative, completed or cancelled",
        "계획, 모집중, 미정, 완료, 취소 (영문 코드)",
        "planned",
        choices=COURSE_STATUSES,
    ),
    *_titles(
        "note",
        "비고",
        "Note",
        {"en": "Example row: replace it", "ko": "예시 행: 지우고 입력하세요"},
        ("en", "ko"),
    ),
]
SESSIONS = [
    Column(
        "course",
        "과정코드",
        "text",
        "Code of the course (in the database or this file)",
        "과정코드 (DB 또는 이 파일의 과정)",
        "2019-01",
        True,
    ),
    Column("date", "날짜", "date", "Day of the item", "일자", "2019-06-17", True),
    Column(
        "start",
        "시작시각",
        "time",
        "Start, HH:MM Seoul time",
        "시작 시각 (HH:MM, 서울 시간)",
        "09:30",
        True,
    ),
    Column(
        "end", "종료시각", "time", "End, HH:MM (after the start)", "종료 시각 (HH:MM)", "12:00"
    ),
    Column(
        "kind", "구분", "choice", "Kind of item", "일정 구분 코드", "lecture", True, SESSION_KINDS
    ),
    *_titles(
        "title", "제목", "Title", {"en": "Seoul's water supply policy", "ko": "서울시 상수도 정책"}
    ),
    *_titles("place", "장소", "Place", {"en": "Lecture room 1", "ko": "강의실 1"}, ("en", "ko")),
    *_titles("speaker", "강사", "Speaker", {}, ("en", "ko")),
]
RESULTS = [
    Column(
        "course",
        "과정코드",
        "text",
        "Code of the finished course",
        "과정코드 (종료된 과정)",
        "2019-01",
        True,
    ),
    Column(
        "trainees",
        "연수인원",
        "int",
        "Trainees who took part (0 or more)",
        "연수 인원 (0 이상)",
        12,
        True,
    ),
    Column(
        "satisfaction", "만족도", "decimal", "Satisfaction mean, 1 to 5", "만족도 평균 (1~5)", 4.8
    ),
    Column("budget", "예산(천원)", "int", "Budget in thousand KRW", "예산 (천원)", 24000),
    Column(
        "places",
        "국가(도시)",
        "places",
        "Countries and cities as recorded: Country (City, City); Country",
        "국가와 도시 (기록된 그대로): 국가 (도시, 도시); 국가",
        "Mexico (Jalisco); Philippines (Manila, General Santos)",
    ),
]
COLUMNS = {"courses": COURSES, "sessions": SESSIONS, "results": RESULTS}


def norm(text: object) -> str:
    """A header or sheet name reduced for comparison (case, spaces, _ and brackets ignored)."""
    return re.sub(r"[\s_\-()\[\].:/]", "", str(text or "")).casefold()


def header_index(kind: str) -> dict[str, str]:
    """Normalised header (English or Korean) → column key for a kind."""
    index: dict[str, str] = {}
    for col in COLUMNS[kind]:
        index[norm(col.key)] = col.key
        index[norm(col.ko)] = col.key
        if "_" in col.key and col.key.rsplit("_", 1)[1] in LANGS:
            field, lang = col.key.rsplit("_", 1)
            index[norm(f"{col.ko.split('(')[0]}{lang}")] = col.key  # e.g. 과정명_en
            index[norm(f"{field}({LANG_KO[lang]})")] = col.key
    return index


def kind_of_sheet(name: str) -> str | None:
    """The kind a sheet name stands for, in English or Korean; None if none."""
    key = norm(name)
    for kind, names in SHEET_NAMES.items():
        if key in {norm(n) for n in names}:
            return kind
    return None


def column(kind: str, key: str) -> Column:
    """The column of a kind by its key."""
    return next(c for c in COLUMNS[kind] if c.key == key)
