"""liaison-bot: the people side of Seoul's international training programme, on Telegram."""

import os

# python-telegram-bot 22.2+ moves time periods (RetryAfter.retry_after, …) from int seconds to
# timedelta; until a program opts in, PTB warns from inside RetryAfter on every 429. The bot
# reads them through bot.core.ratelimit.retry_seconds, which takes both, so it opts in.
os.environ.setdefault("PTB_TIMEDELTA", "1")
