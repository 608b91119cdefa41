# 비동기 스탠드업: DM으로 보내는 질문, 답변에 대한 응답, 스탠드업 보고서.

# 줄 맨 앞에서 질문을 가리키는 말("오늘: ..."); 쉼표로 구분.
standup-label-yesterday = 어제
standup-label-today = 오늘
standup-label-blockers = 장애물, 블로커, 막힌 점
# 장애물 질문에 "장애물 없음"을 뜻하는 답; 쉼표로 구분.
standup-no-blocker-words = 없음, 없어요, 없습니다, 아니요, 장애물 없음, 문제 없음, -

standup-q-yesterday = 어제 무엇을 끝냈나요?
standup-q-today = 오늘은 무엇을 하나요?
standup-q-blockers = 진행을 막고 있는 것이 있나요? (없으면 "없음"이라고 써 주세요.)

standup-intro = { $team } 스탠드업, { $date }. 여기에 답해 주세요. 오늘 쉬는 날이면 "standup skip"이라고 쓰세요.
standup-reminder = 알림: { $team } 스탠드업 보고서는 { $time }에 게시됩니다.
standup-next = 고맙습니다! 다음 질문: { $question }
standup-saved = 저장했습니다: { $questions }.
standup-complete = 고맙습니다. 오늘은 이것으로 끝입니다. { $time }까지 "{ $label }: …"처럼 써서 답을 바꾸거나 "+ …"로 덧붙일 수 있습니다.
standup-all-answered = 모든 질문에 답했습니다. 답을 바꾸려면 "{ $label }: …"처럼 쓰고, 마지막 답에 덧붙이려면 "+"로 시작하세요.
standup-skipped = 알겠습니다. { $date } { $team } 스탠드업에 부재로 표시했습니다.
standup-unskipped = 다시 오신 것을 환영합니다. { $date } { $team } 스탠드업에 다시 참여합니다.
standup-status = { $team } 스탠드업, { $date }: 질문 { $total }개 중 { $answered }개에 답했습니다.
standup-help = 스탠드업 명령: "standup <답변>"은 현재 질문에 답합니다 · "standup 오늘: …"은 답 하나를 쓰거나 바꿉니다 · "standup + …"는 마지막 답에 덧붙입니다 · "standup skip"(또는 "standup unskip") · "standup status" · "standup report [팀]" · "standup escalate <장애물 id>".
standup-escalated = 장애물을 { $team } 팀에 { $ref }{ PARTICLE($ref, "으로") } 에스컬레이션했습니다.
standup-escalated-before = 이 장애물은 이미 { $ref }{ PARTICLE($ref, "으로") } 에스컬레이션되었습니다.
standup-escalation-details = { $person }님의 스탠드업에서 나온 장애물 ({ $team }, { $date }). 일치한 책임: { $why }

standup-error-unknown-team = "{ $team }"{ PARTICLE($team, "이라는") } 팀이 없습니다.
standup-error-off = { $team } 팀은 스탠드업을 사용하지 않습니다.
standup-error-not-working-day = { $date }{ PARTICLE($date, "은") } { $team } 팀의 근무일이 아니어서 스탠드업이 없습니다.
standup-error-closed = { $date } { $team } 스탠드업 보고서가 이미 게시되어 답을 더 이상 바꿀 수 없습니다.
standup-error-forbidden = { $team } 팀원과 관리자만 이 스탠드업을 볼 수 있습니다.
standup-error-not-participant = 지금 답변을 받는 스탠드업에 참여하고 있지 않습니다.
standup-error-ambiguous = 여러 스탠드업({ $teams })에 참여하고 있습니다. 팀을 지정하세요. 예: "standup --team { $first } …".
standup-error-empty = "standup" 뒤에 답을 쓰세요. 예: "standup 오늘: 결제 오류 수정".
standup-error-too-long = 답이 너무 깁니다({ $length }자, 최대 { $limit }자).
standup-error-blocker-gone = 그 장애물은 더 이상 스탠드업에 없습니다. 수정되었거나 삭제되었습니다.
standup-error-unroutable = 이 장애물에 맞는 팀을 찾지 못했습니다. "escalate <팀> …"으로 직접 에스컬레이션하세요.
standup-error-no-escalations = 여기서는 에스컬레이션을 사용할 수 없습니다.

standup-report-title = { $team }: 스탠드업, { $date }
standup-report-state-open = 아직 답변을 받는 중입니다.
standup-report-empty = 아직 아무도 답하지 않았습니다.
standup-missing = 답변 없음: { $people }
standup-skipped-list = 오늘 부재: { $people }
standup-section-blockers = 장애물 ({ $count })
standup-section-blocking-others = 다른 팀을 막는 일: 다른 팀의 장애물 중 이 팀이 풀 수 있는 것 ({ $count })
standup-blocker-by = { $person } ({ $team })
standup-blocker-routed = → { $team }, { $role }
standup-blocker-routed-team = → { $team }
standup-blocker-why = 일치: { $why }
standup-blocker-unrouted = → 맞는 팀 없음: { $fallback }에 문의하세요
standup-blocker-escalated = { $ref }{ PARTICLE($ref, "으로") } 에스컬레이션됨
standup-blocker-id = id { $id }
standup-button-escalate = { $team }에 에스컬레이션
