using LiveBoard.Core;

namespace LiveBoard.Web.Live;

/// <summary>
/// This instance may have missed changes committed elsewhere (the shared feed was unreachable, or a gap showed in
/// another instance's messages). Raised by the feed itself, never stored: every follower reloads from the database,
/// which holds every committed change, instead of waiting for the next one.
/// </summary>
public sealed record FeedResynced(string Why, DateTimeOffset At) : CampaignEvent(0, At);
