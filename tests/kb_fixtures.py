"""Small, complete knowledge bases for the kb import/validate/show tests, written into tmp_path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

LANGS = ("en", "zh-TW", "sv", "ko", "nl")


def _five(en: str, zh: str, sv: str, ko: str, nl: str) -> dict[str, str]:
    return dict(zip(LANGS, (en, zh, sv, ko, nl), strict=True))


def _resp(rid: str, en: str, zh: str, sv: str, ko: str, nl: str, terms: list[str] | None = None) -> dict[str, Any]:
    return {"id": rid, "text": _five(en, zh, sv, ko, nl), "terms": {"en": terms or []}}


def _owner(oid: str, names: dict[str, str], resp: dict[str, Any], aliases: list[str]) -> dict[str, Any]:
    summary = {lang: f"{name} ({oid})" for lang, name in names.items()}
    return {"id": oid, "names": names, "summary": summary, "aliases": {"en": aliases}, "responsibilities": [resp]}


# (id, names in five languages, one responsibility, English aliases); invented wording, not from the seeds.
_TEAMS: list[tuple[str, dict[str, str], dict[str, Any], list[str]]] = [
    ("ecommerce", _five("E-commerce", "電商部", "E-handel", "이커머스", "E-commerce"),
     _resp("site-roadmap", "Owns the web shop roadmap", "負責網店路線圖", "Äger webbutikens färdplan",
           "웹숍 로드맵을 맡습니다", "Beheert de roadmap van de webwinkel", ["roadmap"]), ["online shop team"]),
    ("marketing", _five("Marketing", "行銷部", "Marknad", "마케팅", "Marketing"),
     _resp("campaigns", "Plans campaigns and promotions", "規劃活動與促銷", "Planerar kampanjer och erbjudanden",
           "캠페인과 프로모션을 기획합니다", "Plant campagnes en acties", ["campaign", "promo"]), ["promo team"]),
    ("it", _five("IT", "資訊部", "IT", "IT", "IT"),
     _resp("site-build", "Builds and runs the site", "建置並維運網站", "Bygger och driver sajten",
           "사이트를 구축하고 운영합니다", "Bouwt en beheert de site", ["bug"]), ["tech team"]),
    ("customer-service", _five("Customer service", "客服部", "Kundtjänst", "고객 서비스", "Klantenservice"),
     _resp("returns", "Handles returns and refunds", "處理退貨與退款", "Hanterar returer och återbetalningar",
           "반품과 환불을 처리합니다", "Behandelt retouren en terugbetalingen", ["returns", "refund"]),
     ["support", "helpdesk"]),
    ("warehouse", _five("Warehouse", "倉儲部", "Lager", "창고", "Magazijn"),
     _resp("packing", "Picks and packs orders", "揀貨與包裝訂單", "Plockar och packar ordrar",
           "주문을 피킹하고 포장합니다", "Pickt en verpakt bestellingen", ["packing"]), ["fulfilment"]),
    ("content", _five("Content", "內容部", "Innehåll", "콘텐츠", "Inhoud"),
     _resp("product-pages", "Writes product pages", "撰寫商品頁", "Skriver produktsidor", "상품 페이지를 작성합니다",
           "Schrijft productpagina's", ["copy"]), ["copywriters"]),
    ("data", _five("Data", "數據部", "Data", "데이터", "Data"),
     _resp("reports", "Builds sales reports", "製作銷售報表", "Tar fram försäljningsrapporter", "매출 보고서를 만듭니다",
           "Maakt verkooprapporten", ["dashboard"]), ["analytics"]),
    ("finance", _five("Finance", "財務部", "Ekonomi", "재무", "Financiën"),
     _resp("budget", "Keeps the budget", "管理預算", "Håller budgeten", "예산을 관리합니다", "Bewaakt het budget",
           ["invoice"]), ["accounting"]),
    ("c-level", _five("Executive board", "高層", "Ledningen", "경영진", "Directie"),
     _resp("targets", "Sets company targets", "訂定公司目標", "Sätter företagets mål", "회사 목표를 정합니다",
           "Stelt bedrijfsdoelen vast", ["kpi"]), ["leadership"]),
]

_ROLES: dict[str, list[tuple[str, dict[str, str], dict[str, Any], list[str]]]] = {
    "ecommerce": [
        ("head-of-digital", _five("Head of Digital", "數位長", "Digitalchef", "디지털 책임자", "Digitaal directeur"),
         _resp("contracts", "Signs supplier contracts", "簽署供應商合約", "Skriver under leverantörsavtal",
               "공급업체 계약을 체결합니다", "Tekent leverancierscontracten"), ["digital director"]),
        ("ecommerce-sme", _five("E-commerce expert", "電商專家", "E-handelsexpert", "이커머스 전문가",
                                "E-commerce-expert"),
         _resp("requirements", "Checks requirement details", "確認需求細節", "Kontrollerar kravdetaljer",
               "요구 사항 세부 정보를 확인합니다", "Controleert details van eisen"), ["sme"]),
        ("business-analyst", _five("Business analyst", "業務分析師", "Verksamhetsanalytiker", "비즈니스 분석가",
                                   "Bedrijfsanalist"),
         _resp("timelines", "Tracks timelines and follow-up", "追蹤時程與後續", "Följer tidslinjer och uppföljning",
               "일정과 후속 조치를 추적합니다", "Volgt tijdlijnen en opvolging"), ["analyst"]),
    ],
    "marketing": [
        ("marketing-manager", _five("Marketing manager", "行銷經理", "Marknadschef", "마케팅 관리자",
                                    "Marketingmanager"),
         _resp("traffic", "Brings traffic to the site", "為網站帶來流量", "Driver trafik till sajten",
               "사이트로 트래픽을 유도합니다", "Brengt verkeer naar de site"), ["cmo"]),
    ],
    "it": [
        ("developer", _five("Developer", "開發人員", "Utvecklare", "개발자", "Ontwikkelaar"),
         _resp("features", "Builds new features", "開發新功能", "Bygger nya funktioner", "새 기능을 만듭니다",
               "Bouwt nieuwe functies"), ["programmer"]),
        ("tester", _five("Tester", "測試人員", "Testare", "테스터", "Tester"),
         _resp("test-runs", "Tests every release", "測試每次發布", "Testar varje release", "모든 릴리스를 테스트합니다",
               "Test elke release"), ["qa"]),
    ],
    "warehouse": [
        ("logistics-manager", _five("Logistics manager", "物流經理", "Logistikchef", "물류 관리자",
                                    "Logistiek manager"),
         _resp("delivery", "Gets parcels delivered on time", "讓包裹準時送達", "Ser till att paket levereras i tid",
               "소포가 제때 배송되게 합니다", "Zorgt dat pakketten op tijd aankomen"), ["shipping"]),
        ("inventory-manager", _five("Inventory manager", "庫存經理", "Lageransvarig", "재고 관리자",
                                    "Voorraadbeheerder"),
         _resp("stock-levels", "Watches stock levels", "監看庫存水位", "Bevakar lagernivåer", "재고 수준을 살핍니다",
               "Bewaakt voorraadniveaus"), ["stock"]),
    ],
}

COORDINATES = {"marketing": ["warehouse", "customer-service"], "customer-service": ["warehouse"]}


def team_dicts() -> dict[str, dict[str, Any]]:
    """A fresh, clean knowledge base as raw team dicts (mutate freely to break it)."""
    teams = {}
    for tid, names, resp, aliases in _TEAMS:
        team = _owner(tid, names, resp, aliases)
        team["coordinates_with"] = list(COORDINATES.get(tid, []))
        team["roles"] = [_owner(rid, n, r, a) for rid, n, r, a in _ROLES.get(tid, [])]
        teams[tid] = team
    return copy.deepcopy(teams)


def write_kb(folder: Path, teams: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write team dicts as `folder/teams/<id>.yaml`; returns `folder`."""
    (folder / "teams").mkdir(parents=True, exist_ok=True)
    for tid, team in (teams if teams is not None else team_dicts()).items():
        text = yaml.safe_dump(team, allow_unicode=True, sort_keys=False)
        (folder / "teams" / f"{tid}.yaml").write_text(text, encoding="utf-8")
    return folder


DIRECTORY = {
    "people": {"ann": {"name": "Ann"}, "ben": {"name": "Ben"}},
    "admins": ["ann"],
    "defaults": {"escalation": {"chain": [{"notify": "channel"}, {"notify": "role:lead"}],
                                "ack": {"P1": "1h", "P2": "4h", "P3": "1d"},
                                "resolve": {"P1": "4h", "P2": "1d", "P3": "3d"}}},
    "teams": {tid: {"owners": ["ann"], "members": ["ann", "ben"], "leads": {"lead": "ann"}}
              for tid, *_ in _TEAMS},
}


def directory_dict() -> dict[str, Any]:
    return copy.deepcopy(DIRECTORY)
