# 非同步站立會議：以私訊發送的問題、對回答的回覆，以及站會報告。

# 在一行開頭指名某個問題的詞（「今天：...」）；以逗號分隔。
standup-label-yesterday = 昨天
standup-label-today = 今天
standup-label-blockers = 阻礙, 卡關
# 回答阻礙問題時表示「沒有阻礙」的詞；以逗號分隔。
standup-no-blocker-words = 無, 沒有, 没有, 沒, 無阻礙, 沒有阻礙, 一切順利, -

standup-q-yesterday = 你昨天完成了什麼？
standup-q-today = 你今天要做什麼？
standup-q-blockers = 有什麼事情卡住你嗎？（沒有的話請寫「無」。）

standup-intro = { $team }的站會，{ $date }。請在這裡回覆；今天休假的話請寫「standup skip」。
standup-reminder = 提醒：{ $team }的站會報告將於 { $time } 發布。
standup-next = 謝謝！下一題：{ $question }
standup-saved = 已儲存：{ $questions }。
standup-complete = 謝謝，今天就這些了。{ $time } 之前你都可以寫「{ $label }：…」來修改回答，或用「+ …」補充。
standup-all-answered = 你已回答所有問題。要修改回答請寫「{ $label }：…」；要補充最後一個回答，請以「+」開頭。
standup-skipped = 好的，已將你標記為 { $date } { $team }站會缺席。
standup-unskipped = 歡迎回來：你重新參加 { $date } { $team }的站會。
standup-status = { $team }站會，{ $date }：{ $total } 個問題中已回答 { $answered } 個。
standup-help = 站會指令：「standup <回答>」回答目前的問題 · 「standup 今天：…」填寫或修改一個回答 · 「standup + …」補充最後一個回答 · 「standup skip」（或「standup unskip」） · 「standup status」 · 「standup report [團隊]」 · 「standup escalate <阻礙 id>」。
standup-escalated = 已將阻礙升級給{ $team }，編號 { $ref }。
standup-escalated-before = 這個阻礙已經升級過了，編號 { $ref }。
standup-escalation-details = 來自{ $person }站會的阻礙（{ $team }，{ $date }）。對應的職責：{ $why }

standup-error-unknown-team = 沒有名為「{ $team }」的團隊。
standup-error-off = { $team }沒有啟用站會。
standup-error-not-working-day = { $date } 不是{ $team }的工作日，沒有站會。
standup-error-closed = { $team } { $date } 的站會報告已發布，回答無法再修改。
standup-error-forbidden = 只有{ $team }的成員和管理員可以查看這個站會。
standup-error-not-participant = 你目前沒有參加任何正在收集回答的站會。
standup-error-ambiguous = 你參加了多個站會（{ $teams }）：請指定團隊，例如「standup --team { $first } …」。
standup-error-empty = 請在「standup」後面寫下你的回答，例如「standup 今天：修好結帳流程」。
standup-error-too-long = 回答太長了（{ $length } 個字元；上限為 { $limit }）。
standup-error-blocker-gone = 這個阻礙已不在站會中：它已被修改或刪除。
standup-error-unroutable = 找不到對應這個阻礙的團隊：請用「escalate <團隊> …」自行升級。
standup-error-no-escalations = 這裡無法使用升級功能。

standup-report-title = { $team }：站會，{ $date }
standup-report-state-open = 仍在收集回答。
standup-report-empty = 還沒有人回答。
standup-missing = 未回答：{ $people }
standup-skipped-list = 今天缺席：{ $people }
standup-section-blockers = 阻礙（{ $count }）
standup-section-blocking-others = 卡住其他團隊：其他團隊中需要你們處理的阻礙（{ $count }）
standup-blocker-by = { $person }（{ $team }）
standup-blocker-routed = → { $team }，{ $role }
standup-blocker-routed-team = → { $team }
standup-blocker-why = 對應：{ $why }
standup-blocker-unrouted = → 找不到對應的團隊：請詢問{ $fallback }
standup-blocker-escalated = 已升級，編號 { $ref }
standup-blocker-id = id { $id }
standup-button-escalate = 升級給{ $team }
