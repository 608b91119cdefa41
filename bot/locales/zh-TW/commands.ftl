# 升級指令語言：解析錯誤、用法與說明（見 bot/commands/）。

cmd-empty = 請輸入指令，例如：escalate warehouse 包裹卡在出貨區。輸入 help 可查看所有指令。
cmd-too-long = 這則訊息太長了（{ $length } 個字元），上限是 { $limit } 個字元，請縮短後再試。
cmd-unknown = 無法辨識的指令「{ $word }」。輸入 help 可查看所有指令。
cmd-unknown-suggest = 無法辨識的指令「{ $word }」－您是要輸入{ $suggestion }嗎？
cmd-missing-id = 是哪一筆升級案件？請提供編號，例如 ESC-42。
cmd-bad-id = 「{ $value }」不是升級案件編號。編號格式為 ESC-42（也可以只寫 42）。
cmd-missing-team = 是哪個團隊？請提供團隊代碼，例如 customer-service。
cmd-unknown-team = 找不到團隊「{ $team }」。可用的團隊：{ $teams }
cmd-unknown-team-suggest = 找不到團隊「{ $team }」－您是指{ $suggestion }嗎？
cmd-ambiguous-team = 「{ $team }」可能是指不只一個團隊：{ $teams }。請改用團隊代碼。
cmd-missing-summary = 請說明問題內容，例如：escalate it 瑞典信用卡無法結帳。
cmd-missing-text = 留言是空的，請在編號後面輸入內容。
cmd-bad-priority = 「{ $value }」不是有效的優先順序。請使用 { $priorities } 其中之一（P1 最緊急）。
cmd-missing-value = { $option } 後面需要填入值。
cmd-bad-scope = 無法列出「{ $value }」。請選擇：{ $scopes }，或 team 團隊代碼。
cmd-extra-args = 編號後面有多餘的文字：「{ $extra }」。
cmd-usage-label = 用法：{ $usage }

cmd-usage-escalate = escalate [團隊] 摘要 [--priority P1|P2|P3]
cmd-usage-ack = ack 編號
cmd-usage-resolve = resolve 編號 [備註]
cmd-usage-reopen = reopen 編號
cmd-usage-cancel = cancel 編號
cmd-usage-reassign = reassign 編號 團隊 [原因]
cmd-usage-comment = comment 編號 內容
cmd-usage-bump = bump 編號
cmd-usage-list = list [mine | team 團隊 | open | overdue | all]
cmd-usage-show = show 編號
cmd-usage-help = help [指令]

cmd-help-escalate = 建立升級案件。可先寫團隊名稱；若省略，我會依摘要找出負責的團隊。預設優先順序為 P2，也可指定 P1（緊急）或 P3。
cmd-help-ack = 確認受理升級案件：表示您的團隊已看到並著手處理。
cmd-help-resolve = 將升級案件標記為已解決，可附上處理說明。
cmd-help-reopen = 重新開啟已解決或已取消的升級案件。
cmd-help-cancel = 撤回您提出的升級案件。
cmd-help-reassign = 將升級案件轉交給另一個團隊，可附上原因。
cmd-help-comment = 新增留言；任何人都可以留言。
cmd-help-bump = 立即升級到該團隊升級流程的下一層級。
cmd-help-list = 列出升級案件：open（預設）、mine、overdue、all，或某個團隊的案件。
cmd-help-show = 顯示升級案件及其完整歷程。
cmd-help-help = 顯示這份說明，或單一指令的說明。
cmd-help-title = 升級指令：
cmd-help-footer = 編號格式為 ESC-42（只寫 42 也可以）。確認受理、解決與轉交限負責團隊的成員操作；取消限提出人操作。
