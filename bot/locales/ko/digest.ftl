# 팀 및 경영진 일일 요약 (Slack, Teams, 명령줄).

digest-title = { $team }: 일일 요약, { $date }
digest-leadership-title = 경영진 요약, { $date }
digest-period = { $since }부터 { $until }까지 ({ $zone })
digest-quiet = 조용한 하루입니다: 새 건, 미해결 건, 기한 초과 건이 없고 답하지 못한 질문도 없습니다.
digest-section-new = 지난 요약 이후 새 건 ({ $count })
digest-section-open = 미해결 건, 오래된 순 ({ $count })
digest-section-overdue = 기한 초과: SLA 위반 ({ $count })
digest-section-resolved = 지난 요약 이후 해결된 건 ({ $count })
digest-section-topics = 많이 물어본 주제
digest-section-gaps = 담당 팀을 찾지 못한 질문 ({ $count })
digest-section-load = 팀별 업무량
digest-section-breaches = 가장 심각한 SLA 위반 ({ $count })
digest-none = 없음
digest-more = …외 { $count }건
digest-item-age = { $age } 전 생성
digest-item-late = { $late } 초과
digest-item-level = { $level }단계
digest-state-open = 미확인
digest-state-acknowledged = 확인됨
digest-state-resolved = 해결됨
digest-asked = { $count }회 질문됨
digest-gaps-hint = 지식 베이스에 추가해 주시면 다음에는 답할 수 있습니다.
digest-load-line = 미확인 { $open } · 확인됨 { $acknowledged } · 기한 초과 { $overdue } · 신규 { $new } · 해결 { $resolved }
digest-load-oldest = 가장 오래된 건 { $age }
digest-load-gaps = 담당 팀을 찾지 못한 질문 { $count }개
digest-totals = 전체 팀: 미확인 { $open }건, 확인됨 { $acknowledged }건, 기한 초과 { $overdue }건; 지난 요약 이후 신규 { $new }건, 해결 { $resolved }건.
