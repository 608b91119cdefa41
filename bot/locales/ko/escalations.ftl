# 사람이 읽는 에스컬레이션: 상태, 요약 줄, 목록, 상세 정보, 이력, 모든 오류 메시지.

esc-state-open = 접수 대기
esc-state-acknowledged = 접수됨
esc-state-resolved = 해결됨
esc-state-cancelled = 취소됨

esc-verb-acknowledge = 접수
esc-verb-resolve = 해결
esc-verb-reopen = 재오픈
esc-verb-cancel = 취소
esc-verb-reassign = 이관
esc-verb-comment = 댓글 작성
esc-verb-bump = 상위 단계 에스컬레이션

esc-field-summary = 요약
esc-field-details = 상세 내용
esc-field-note = 메모
esc-field-reason = 사유
esc-field-comment = 댓글
esc-field-team = 팀
esc-field-priority = 우선순위

esc-line = { $ref } · { $priority } · { $state } · { $team } · { $age }: { $summary }
esc-overdue-tag = [기한 초과]
esc-just-now = 방금

esc-created = { $team } 앞으로 { $ref }({ $priority }){ PARTICLE($ref, "으로") } 저장했습니다. 팀에 전달되는 대로 알려 드리겠습니다.
esc-acknowledged = { $actor }님이 { $ref }{ PARTICLE($ref, "을") } 접수했습니다.
esc-resolved = { $actor }님이 { $ref }{ PARTICLE($ref, "을") } 해결했습니다.
esc-reopened = { $actor }님이 { $ref }{ PARTICLE($ref, "을") } 다시 열었습니다.
esc-cancelled = { $actor }님이 { $ref }{ PARTICLE($ref, "을") } 취소했습니다.
esc-reassigned = { $actor }님이 { $ref }{ PARTICLE($ref, "을") } { $from }에서 { $to }{ PARTICLE($to, "으로") } 이관했습니다.
esc-commented = { $ref }에 댓글을 추가했습니다.
esc-bumped = { $ref }{ PARTICLE($ref, "이") } { $level }단계({ $level_name })로 에스컬레이션되었습니다.
esc-exhausted = { $ref }{ PARTICLE($ref, "이") } 에스컬레이션 최상위 단계에 도달했지만 아직 접수되지 않았습니다.
esc-overdue = { $ref }{ PARTICLE($ref, "이") } 기한 내에 해결되지 않았습니다.
esc-replayed = 이미 처리된 요청입니다. 변경된 내용은 없습니다.

esc-ack-due = 접수 기한: { $when }
esc-ack-late = 접수 기한이 지났습니다({ $when }).
esc-resolve-due = 해결 기한: { $when }
esc-resolve-late = 해결 기한이 지났습니다({ $when }).

esc-scope-open = 진행 중
esc-scope-mine = 내 에스컬레이션
esc-scope-overdue = 기한 초과
esc-scope-all = 전체
esc-scope-team = { $team } 팀
esc-list-title = 에스컬레이션 { $count }건({ $scope }):
esc-list-empty = 에스컬레이션이 없습니다({ $scope }).

esc-show-requester = 요청자: { $name }({ $age })
esc-show-role = 역할: { $role }
esc-show-level = 단계: { $level }({ $level_name })
esc-show-details = 상세 내용: { $details }
esc-show-source = 출처: { $link }
esc-history-title = 이력:
esc-history-line = { $when } · { $who } · { $action }
esc-history-action = { $action ->
    [created] 생성
    [acknowledged] 접수
    [resolved] 해결
    [reopened] 재오픈
    [cancelled] 취소
    [reassigned] 이관
    [commented] 댓글
    [bumped] 한 단계 에스컬레이션
    [refused] 요청 거부됨
    [exhausted] 최상위 단계 도달
    [overdue] 해결 기한 초과
   *[other] { $action }
}

esc-sweep-none = 기한을 넘긴 에스컬레이션이 없습니다.
esc-sweep-title = 점검에서 에스컬레이션 { $count }건을 처리했습니다:

error-not-found = { $ref } 에스컬레이션이 없습니다. 번호를 확인하거나 list를 입력해 진행 중인 목록을 보세요.
error-wrong-state = { $ref }{ PARTICLE($ref, "은") } 현재 '{ $state_name }' 상태라서 { $action_name }할 수 없습니다.
error-forbidden = { $ref }{ PARTICLE($ref, "을") } { $action_name }할 수 없습니다: { $action ->
    [cancel] 요청한 사람이나 관리자만 할 수 있습니다.
    [reopen] 요청한 사람, { $team_name } 또는 관리자만 할 수 있습니다.
   *[other] { $team_name } 팀원이나 관리자만 할 수 있습니다.
}
error-unknown-team = 알 수 없는 팀 '{ $team }'
error-invalid = { $reason ->
    [empty] { $field_name }{ PARTICLE($field_name, "은") } 비워 둘 수 없습니다.
    [same-team] { $ref }{ PARTICLE($ref, "은") } 이미 { $team_name } 담당입니다.
    [unknown-priority] '{ $value }'{ PARTICLE($value, "은") } 우선순위가 아닙니다. P1, P2, P3 중 하나를 사용하세요.
    [reused-request-id] 이 요청 ID는 이미 다른 작업에 사용되었습니다.
    [unknown-role] 그 역할은 { $team_name }에 속하지 않습니다.
   *[other] 올바르지 않은 요청입니다({ $field_name }).
}
error-too-long = { $field_name }{ PARTICLE($field_name, "이") } 너무 깁니다({ $length }자). 최대 { $limit }자까지 입력할 수 있습니다.
error-unroutable = 어느 팀이 처리해야 할지 판단할 수 없습니다. 먼저 팀을 적어 주세요. 예: escalate warehouse { $question }. 팀 목록: { $teams }
error-bump-top = { $ref }{ PARTICLE($ref, "은") } 이미 에스컬레이션 최상위 단계에 있습니다.
outbox-summary = 알림: 대기 { $pending }건, 실패 { $failed }건.
