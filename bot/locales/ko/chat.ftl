# Short replies to the bot's offer to escalate (comma-separated words people type).
reply-yes-words = 네, 예, 응, 어, 좋아요, 좋아, 그래, 그래요, 부탁해요, 부탁합니다, 네 부탁해요, 해 주세요, 해주세요
reply-no-words = 아니요, 아니오, 아니, 아뇨, 괜찮아요, 됐어요, 필요 없어요
reply-declined = 알겠습니다. 에스컬레이션은 열지 않을게요. 다른 것도 편하게 물어보세요.
