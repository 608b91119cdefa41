# 升級案件的呈現方式：狀態、摘要行、清單、詳細資料、歷程與所有錯誤訊息。

esc-state-open = 待受理
esc-state-acknowledged = 已受理
esc-state-resolved = 已解決
esc-state-cancelled = 已取消

esc-verb-acknowledge = 確認受理
esc-verb-resolve = 解決
esc-verb-reopen = 重新開啟
esc-verb-cancel = 取消
esc-verb-reassign = 轉交
esc-verb-comment = 留言於
esc-verb-bump = 升級

esc-field-summary = 摘要
esc-field-details = 詳細說明
esc-field-note = 備註
esc-field-reason = 原因
esc-field-comment = 留言
esc-field-team = 團隊
esc-field-priority = 優先順序

esc-line = { $ref } · { $priority } · { $state } · { $team } · { $age }：{ $summary }
esc-overdue-tag = 【逾期】
esc-just-now = 剛剛

esc-created = 已儲存為 { $ref }（{ $priority }），交給{ $team }。團隊一收到，我就會通知你。
esc-acknowledged = { $actor }已確認受理 { $ref }。
esc-resolved = { $actor }已解決 { $ref }。
esc-reopened = { $actor }已重新開啟 { $ref }。
esc-cancelled = { $actor }已取消 { $ref }。
esc-reassigned = { $actor }已將 { $ref } 從{ $from }轉交給{ $to }。
esc-commented = 已在 { $ref } 新增留言。
esc-bumped = { $ref } 已升級到第 { $level } 層（{ $level_name }）。
esc-exhausted = { $ref } 已到達升級流程的最高層級，但仍無人確認受理。
esc-overdue = { $ref } 未在期限內解決。
esc-replayed = 這個請求先前已處理過，沒有任何變更。

esc-ack-due = 確認受理期限：{ $when }。
esc-ack-late = 確認受理期限已過（{ $when }）。
esc-resolve-due = 解決期限：{ $when }。
esc-resolve-late = 解決期限已過（{ $when }）。

esc-scope-open = 處理中
esc-scope-mine = 我的
esc-scope-overdue = 逾期
esc-scope-all = 全部
esc-scope-team = 團隊：{ $team }
esc-list-title = 共 { $count } 筆升級案件（{ $scope }）：
esc-list-empty = 沒有升級案件（{ $scope }）。

esc-show-requester = 提出人：{ $name }（{ $age }）
esc-show-role = 角色：{ $role }
esc-show-level = 層級：{ $level }（{ $level_name }）
esc-show-details = 詳細說明：{ $details }
esc-show-source = 來源：{ $link }
esc-history-title = 歷程：
esc-history-line = { $when } · { $who } · { $action }
esc-history-action = { $action ->
    [created] 建立
    [acknowledged] 確認受理
    [resolved] 解決
    [reopened] 重新開啟
    [cancelled] 取消
    [reassigned] 轉交
    [commented] 留言
    [bumped] 升級一層
    [refused] 操作遭拒
    [exhausted] 已到達升級流程最高層級
    [overdue] 超過解決期限
   *[other] { $action }
}

esc-sweep-none = 目前沒有逾期的案件。
esc-sweep-title = 本次檢查處理了 { $count } 筆升級案件：

error-not-found = 找不到升級案件 { $ref }。請檢查編號，或輸入 list 查看處理中的案件。
error-wrong-state = { $ref } 目前為「{ $state_name }」，因此無法{ $action_name }。
error-forbidden = 您無法{ $action_name } { $ref }：{ $action ->
    [cancel] 只有提出人或管理員可以這麼做。
    [reopen] 只有提出人、{ $team_name }或管理員可以這麼做。
   *[other] 只有{ $team_name }的成員或管理員可以這麼做。
}
error-unknown-team = 找不到團隊「{ $team }」
error-invalid = { $reason ->
    [empty] { $field_name }不能是空的。
    [same-team] { $ref } 已經由{ $team_name }負責。
    [unknown-priority] 「{ $value }」不是有效的優先順序：請使用 P1、P2 或 P3。
    [reused-request-id] 這個請求編號已用於其他操作。
    [unknown-role] 這個角色不屬於{ $team_name }。
   *[other] 這個請求無效（{ $field_name }）。
}
error-too-long = { $field_name }太長了（{ $length } 個字元），上限是 { $limit } 個字元。
error-unroutable = 我無法判斷這件事該由哪個團隊處理。請先寫出團隊，例如：escalate warehouse { $question }。可用的團隊：{ $teams }
error-bump-top = { $ref } 已經在升級流程的最高層級。
outbox-summary = 通知：{ $pending } 則待送出，{ $failed } 則失敗。
