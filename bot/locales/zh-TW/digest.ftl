# 每日站會摘要（團隊與主管），用於 Slack、Teams 與命令列。

digest-title = { $team }：每日摘要，{ $date }
digest-leadership-title = 主管摘要，{ $date }
digest-period = 涵蓋 { $since } 至 { $until }（{ $zone }）
digest-quiet = 一切平靜：沒有新的、未結或逾期的案件，也沒有未能回答的問題。
digest-section-new = 自上次摘要以來的新案件（{ $count }）
digest-section-open = 未結案件，由舊到新（{ $count }）
digest-section-overdue = 逾期：已超過 SLA（{ $count }）
digest-section-resolved = 自上次摘要以來已解決（{ $count }）
digest-section-topics = 大家詢問的主題
digest-section-gaps = 我無法分派的問題（{ $count }）
digest-section-load = 各團隊負載
digest-section-breaches = 最嚴重的 SLA 逾期（{ $count }）
digest-none = 無
digest-more = …另有 { $count } 件
digest-item-age = { $age }前建立
digest-item-late = 逾期 { $late }
digest-item-level = 第 { $level } 級
digest-state-open = 尚未確認
digest-state-acknowledged = 已確認
digest-state-resolved = 已解決
digest-asked = 被問了 { $count } 次
digest-gaps-hint = 請把這些問題補進知識庫，下次我就能回答。
digest-load-line = 未確認 { $open } 件 · 已確認 { $acknowledged } 件 · 逾期 { $overdue } 件 · 新增 { $new } 件 · 已解決 { $resolved } 件
digest-load-oldest = 最舊一件已 { $age }
digest-load-gaps = 未分派問題 { $count } 個
digest-totals = 所有團隊：未確認 { $open } 件、已確認 { $acknowledged } 件、逾期 { $overdue } 件；自上次摘要以來新增 { $new } 件、解決 { $resolved } 件。
