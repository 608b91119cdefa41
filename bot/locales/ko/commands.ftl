# 에스컬레이션 명령어: 구문 오류, 사용법, 도움말 (bot/commands/ 참고).

cmd-empty = 명령어를 입력하세요. 예: escalate warehouse 택배가 출고장에 멈춰 있습니다. 전체 명령어는 help를 입력하면 볼 수 있습니다.
cmd-too-long = 메시지가 너무 깁니다({ $length }자). 최대 { $limit }자까지 입력할 수 있으니 줄여 주세요.
cmd-unknown = 알 수 없는 명령어 '{ $word }'입니다. 전체 명령어는 help를 입력하면 볼 수 있습니다.
cmd-unknown-suggest = 알 수 없는 명령어 '{ $word }' - { $suggestion }{ PARTICLE($suggestion, "을") } 입력하려고 하셨나요?
cmd-missing-id = 어떤 에스컬레이션인가요? ESC-42처럼 번호를 알려 주세요.
cmd-bad-id = '{ $value }'{ PARTICLE($value, "은") } 에스컬레이션 번호가 아닙니다. 번호는 ESC-42(또는 42) 형식입니다.
cmd-missing-team = 어느 팀인가요? customer-service처럼 팀 ID를 알려 주세요.
cmd-unknown-team = 알 수 없는 팀 '{ $team }'. 팀 목록: { $teams }
cmd-unknown-team-suggest = 알 수 없는 팀 '{ $team }' - { $suggestion } 팀을 말씀하신 건가요?
cmd-ambiguous-team = '{ $team }'{ PARTICLE($team, "은") } 여러 팀을 가리킬 수 있습니다: { $teams }. 팀 ID를 사용해 주세요.
cmd-missing-summary = 어떤 문제인지 적어 주세요. 예: escalate it 스웨덴 카드로 결제가 되지 않습니다.
cmd-missing-text = 댓글 내용이 비어 있습니다. 번호 뒤에 내용을 입력하세요.
cmd-bad-priority = '{ $value }'{ PARTICLE($value, "은") } 우선순위가 아닙니다. { $priorities } 중 하나를 사용하세요(P1이 가장 긴급).
cmd-missing-value = { $option } 뒤에 값이 필요합니다.
cmd-bad-scope = '{ $value }' 목록은 볼 수 없습니다. { $scopes } 또는 team 팀ID 중에서 고르세요.
cmd-extra-args = 번호 뒤에 예상하지 못한 내용이 있습니다: '{ $extra }'.
cmd-usage-label = 사용법: { $usage }

cmd-usage-escalate = escalate [팀] 요약 [--priority P1|P2|P3]
cmd-usage-ack = ack 번호
cmd-usage-resolve = resolve 번호 [메모]
cmd-usage-reopen = reopen 번호
cmd-usage-cancel = cancel 번호
cmd-usage-reassign = reassign 번호 팀 [사유]
cmd-usage-comment = comment 번호 내용
cmd-usage-bump = bump 번호
cmd-usage-list = list [mine | team 팀 | open | overdue | all]
cmd-usage-show = show 번호
cmd-usage-help = help [명령어]

cmd-help-escalate = 에스컬레이션을 엽니다. 팀을 먼저 적거나, 생략하면 요약을 보고 담당 팀을 찾아 드립니다. P1(긴급)이나 P3를 지정하지 않으면 우선순위는 P2입니다.
cmd-help-ack = 에스컬레이션을 접수합니다. 팀이 확인했고 처리 중임을 알립니다.
cmd-help-resolve = 에스컬레이션을 해결됨으로 표시하고, 처리 내용을 메모로 남길 수 있습니다.
cmd-help-reopen = 해결되었거나 취소된 에스컬레이션을 다시 엽니다.
cmd-help-cancel = 직접 올린 에스컬레이션을 철회합니다.
cmd-help-reassign = 에스컬레이션을 다른 팀으로 넘기며, 사유를 남길 수 있습니다.
cmd-help-comment = 댓글을 남깁니다. 누구나 댓글을 달 수 있습니다.
cmd-help-bump = 팀의 에스컬레이션 단계에서 바로 다음 단계로 올립니다.
cmd-help-list = 에스컬레이션 목록: open(기본값), mine, overdue, all 또는 특정 팀의 목록.
cmd-help-show = 에스컬레이션과 전체 이력을 보여 줍니다.
cmd-help-help = 이 도움말 또는 특정 명령어의 도움말을 보여 줍니다.
cmd-help-title = 에스컬레이션 명령어:
cmd-help-footer = 번호는 ESC-42 형식입니다(42만 써도 됩니다). 접수, 해결, 이관은 담당 팀원만 할 수 있고, 취소는 요청한 사람만 할 수 있습니다.
