answer-headline = { $role ->
    [none] 이 일은 { $team } 담당입니다.
   *[other] 이 일은 { $team }의 { $role } 담당입니다.
}
answer-why = 이유: { $matched }
answer-contact = 연락처: { $contact }
answer-contact-none = 이 팀에는 아직 채널이 설정되지 않았습니다.
answer-loop-in = { $teams }도 함께 참여시키세요. { $team }{ PARTICLE($team, "은") } 이 일을 그 팀과 함께 처리합니다.
answer-unsure = 확실하지는 않습니다. 다음 중 하나일 수도 있습니다:
answer-alternatives = 다른 가능성:
answer-offer-escalate = { $team }에 에스컬레이션을 열어 드릴까요?
answer-dont-know = 죄송합니다. 누가 담당하는지 모르겠습니다. 역할 가이드에 맞는 내용이 없습니다.
answer-dont-know-fallback = { $fallback }에 문의해 보세요.
answer-learned = (동료의 수정 내용을 바탕으로 한 답변입니다.)
button-escalate = { $team }에 에스컬레이션
button-wrong-team = 팀이 틀렸나요?
button-pick-team = 올바른 팀 선택
answer-thanks-correction = 감사합니다! 다음부터 이런 질문은 { $team }에 안내하겠습니다.
answer-empty = 질문을 입력해 주세요. 예: "반품은 누가 처리하나요?"
answer-too-long = 메시지가 너무 깁니다({ $length }자). { $limit }자 이하로 입력해 주세요.
label-team = 팀
label-role = 역할
label-contact = 연락처
label-why = 일치한 책임
label-confidence = 신뢰도
answer-choices = 누가 담당하는지 확실하지 않아요. 혹시 아래 중 하나인가요?
answer-choices-reply = 번호로 답해 주세요:
answer-choice-none = 해당 없음
answer-correction-refused = 질문한 사람, { $teams } 구성원 또는 관리자만 이 답변을 수정할 수 있어 아무것도 바뀌지 않았습니다.
answer-contact-lead-channel = 팀 리더 { $lead }, { $channel }
answer-contact-lead = 팀 리더 { $lead }
answer-channel-slack = Slack { $channel } 채널
answer-channel-teams = Teams의 { $team } 채널
answer-channel-both = { $slack } 또는 { $teams }
