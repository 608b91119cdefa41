answer-headline = { $role ->
    [none] 這件事由{ $team }負責。
   *[other] 這件事由{ $team }的{ $role }負責。
}
answer-why = 原因：{ $matched }
answer-contact = 聯絡方式：{ $contact }
answer-contact-none = 這個團隊尚未設定頻道。
answer-loop-in = 也請一併通知{ $teams }：{ $team }會和他們一起處理這件事。
answer-unsure = 我不太確定，也可能是：
answer-alternatives = 其他可能：
answer-offer-escalate = 要我向{ $team }提出升級處理嗎？
answer-dont-know = 抱歉，我不知道這件事由誰負責，角色指南中沒有相符的內容。
answer-dont-know-fallback = 你可以詢問{ $fallback }。
answer-learned = （此答案依據同事的更正。）
button-escalate = 升級給{ $team }
button-wrong-team = 團隊不對？
button-pick-team = 選擇正確的團隊
answer-thanks-correction = 謝謝！下次類似的問題我會轉給{ $team }。
answer-empty = 請輸入問題，例如「退貨由誰處理？」
answer-too-long = 訊息太長（{ $length } 個字元），請少於 { $limit } 個字元。
label-team = 團隊
label-role = 角色
label-contact = 聯絡方式
label-why = 相符的職責
label-confidence = 信心程度
answer-choices = 我不確定這件事由誰負責。你指的是下面其中一個嗎？
answer-choices-reply = 請回覆編號：
answer-choice-none = 都不是
answer-correction-refused = 只有提問者、{ $teams }的成員或管理員可以更正這個答案，因此沒有任何變更。
answer-contact-lead-channel = 團隊負責人{ $lead }，{ $channel }
answer-contact-lead = 團隊負責人{ $lead }
answer-channel-slack = Slack 頻道{ $channel }
answer-channel-teams = Teams 的「{ $team }」頻道
answer-channel-both = { $slack }、{ $teams }
