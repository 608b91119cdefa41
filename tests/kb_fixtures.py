"""Small, complete knowledge bases for the kb import/validate/show tests, written into tmp_path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

LANGS = ("en", "zh-TW", "sv", "ko", "nl")

# Invented wording (not from the seeds). A block is "team|role <id> <responsibility id> | aliases | terms"
# followed by one "name | responsibility text" line per language, in LANGS order; roles follow their team.
SPEC = """
team ecommerce site-roadmap | online shop team | roadmap
  E-commerce | Owns the web shop roadmap
  電商部 | 負責網店路線圖
  E-handel | Äger webbutikens färdplan
  이커머스 | 웹숍 로드맵을 맡습니다
  E-commerce | Beheert de roadmap van de webwinkel
role head-of-digital contracts | digital director |
  Head of Digital | Signs supplier contracts
  數位長 | 簽署供應商合約
  Digitalchef | Skriver under leverantörsavtal
  디지털 책임자 | 공급업체 계약을 체결합니다
  Digitaal directeur | Tekent leverancierscontracten
role ecommerce-sme requirements | sme |
  E-commerce expert | Checks requirement details
  電商專家 | 確認需求細節
  E-handelsexpert | Kontrollerar kravdetaljer
  이커머스 전문가 | 요구 사항 세부 정보를 확인합니다
  E-commerce-expert | Controleert details van eisen
role business-analyst timelines | analyst |
  Business analyst | Tracks timelines and follow-up
  業務分析師 | 追蹤時程與後續
  Verksamhetsanalytiker | Följer tidslinjer och uppföljning
  비즈니스 분석가 | 일정과 후속 조치를 추적합니다
  Bedrijfsanalist | Volgt tijdlijnen en opvolging
team marketing campaigns | promo team | campaign, promo
  Marketing | Plans campaigns and promotions
  行銷部 | 規劃活動與促銷
  Marknad | Planerar kampanjer och erbjudanden
  마케팅 | 캠페인과 프로모션을 기획합니다
  Marketing | Plant campagnes en acties
role marketing-manager traffic | cmo |
  Marketing manager | Brings traffic to the site
  行銷經理 | 為網站帶來流量
  Marknadschef | Driver trafik till sajten
  마케팅 관리자 | 사이트로 트래픽을 유도합니다
  Marketingmanager | Brengt verkeer naar de site
team it site-build | tech team | bug
  IT | Builds and runs the site
  資訊部 | 建置並維運網站
  IT | Bygger och driver sajten
  IT | 사이트를 구축하고 운영합니다
  IT | Bouwt en beheert de site
role developer features | programmer |
  Developer | Builds new features
  開發人員 | 開發新功能
  Utvecklare | Bygger nya funktioner
  개발자 | 새 기능을 만듭니다
  Ontwikkelaar | Bouwt nieuwe functies
role tester test-runs | qa |
  Tester | Tests every release
  測試人員 | 測試每次發布
  Testare | Testar varje release
  테스터 | 모든 릴리스를 테스트합니다
  Tester | Test elke release
team customer-service returns | support, helpdesk | returns, refund
  Customer service | Handles returns and refunds
  客服部 | 處理退貨與退款
  Kundtjänst | Hanterar returer och återbetalningar
  고객 서비스 | 반품과 환불을 처리합니다
  Klantenservice | Behandelt retouren en terugbetalingen
team warehouse packing | fulfilment | packing
  Warehouse | Picks and packs orders
  倉儲部 | 揀貨與包裝訂單
  Lager | Plockar och packar ordrar
  창고 | 주문을 피킹하고 포장합니다
  Magazijn | Pickt en verpakt bestellingen
role logistics-manager delivery | shipping |
  Logistics manager | Gets parcels delivered on time
  物流經理 | 讓包裹準時送達
  Logistikchef | Ser till att paket levereras i tid
  물류 관리자 | 소포가 제때 배송되게 합니다
  Logistiek manager | Zorgt dat pakketten op tijd aankomen
role inventory-manager stock-levels | stock |
  Inventory manager | Watches stock levels
  庫存經理 | 監看庫存水位
  Lageransvarig | Bevakar lagernivåer
  재고 관리자 | 재고 수준을 살핍니다
  Voorraadbeheerder | Bewaakt voorraadniveaus
team content product-pages | copywriters | copy
  Content | Writes product pages
  內容部 | 撰寫商品頁
  Innehåll | Skriver produktsidor
  콘텐츠 | 상품 페이지를 작성합니다
  Inhoud | Schrijft productpagina's
team data reports | analytics | dashboard
  Data | Builds sales reports
  數據部 | 製作銷售報表
  Data | Tar fram försäljningsrapporter
  데이터 | 매출 보고서를 만듭니다
  Data | Maakt verkooprapporten
team finance budget | accounting | invoice
  Finance | Keeps the budget
  財務部 | 管理預算
  Ekonomi | Håller budgeten
  재무 | 예산을 관리합니다
  Financiën | Bewaakt het budget
team c-level targets | leadership | kpi
  Executive board | Sets company targets
  高層 | 訂定公司目標
  Ledningen | Sätter företagets mål
  경영진 | 회사 목표를 정합니다
  Directie | Stelt bedrijfsdoelen vast
"""

COORDINATES = {"marketing": ["warehouse", "customer-service"], "customer-service": ["warehouse"]}


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


def _owner(header: str, lines: list[str]) -> tuple[str, dict[str, Any]]:
    ids, aliases, terms = (part.strip() for part in header.split("|"))
    kind, owner_id, resp_id = ids.split()
    names, texts = zip(*(line.split(" | ") for line in lines), strict=True)
    owner = {
        "id": owner_id,
        "names": dict(zip(LANGS, (n.strip() for n in names), strict=True)),
        "summary": {lang: f"{name.strip()} ({owner_id})" for lang, name in zip(LANGS, names, strict=True)},
        "aliases": {"en": _words(aliases)},
        "responsibilities": [
            {
                "id": resp_id,
                "text": dict(zip(LANGS, (t.strip() for t in texts), strict=True)),
                "terms": {"en": _words(terms)},
            }
        ],
    }
    return kind, owner


def team_dicts() -> dict[str, dict[str, Any]]:
    """A fresh, clean knowledge base as raw team dicts (mutate freely to break it)."""
    lines = [line for line in SPEC.splitlines() if line.strip()]
    teams: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] = {}
    for start in range(0, len(lines), 1 + len(LANGS)):
        kind, owner = _owner(lines[start], lines[start + 1 : start + 1 + len(LANGS)])
        if kind == "team":
            current = {**owner, "coordinates_with": list(COORDINATES.get(owner["id"], [])), "roles": []}
            teams[owner["id"]] = current
        else:
            current["roles"].append(owner)
    return copy.deepcopy(teams)


def write_kb(folder: Path, teams: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write team dicts as `folder/teams/<id>.yaml`; returns `folder`."""
    (folder / "teams").mkdir(parents=True, exist_ok=True)
    for tid, team in (teams if teams is not None else team_dicts()).items():
        text = yaml.safe_dump(team, allow_unicode=True, sort_keys=False)
        (folder / "teams" / f"{tid}.yaml").write_text(text, encoding="utf-8")
    return folder


def directory_dict() -> dict[str, Any]:
    """A directory that matches `team_dicts()` exactly."""
    escalation = {
        "chain": [{"notify": "channel"}, {"notify": "role:lead"}, {"notify": "role:head-of-digital"}],
        "ack": {"P1": "1h", "P2": "4h", "P3": "1d"},
        "resolve": {"P1": "4h", "P2": "1d", "P3": "3d"},
    }
    return {
        "people": {"ann": {"name": "Ann"}, "ben": {"name": "Ben"}},
        "admins": ["ann"],
        "defaults": {"escalation": escalation},
        "teams": {
            tid: {"owners": ["ann"], "members": ["ann", "ben"], "leads": {"lead": "ann"}}
            for tid in team_dicts()
        },
    }
