# Short replies to the bot's offer to escalate (comma-separated words people type).
reply-yes-words = 好, 好的, 好啊, 好喔, 是, 是的, 對, 要, 需要, 麻煩了, 麻煩你, 請, 可以, 嗯
reply-no-words = 不, 不要, 不用, 不用了, 不需要, 否, 算了, 先不要, 先不用
reply-declined = 好的，那就先不開升級案件。還有其他問題都可以問我。
