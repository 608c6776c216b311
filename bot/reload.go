package bot

import (
	"context"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// reloadCommand answers `reload`, for admins only: the org config is read again and
// put in force at once (a member removed from it is refused from the next interaction
// on). On error the config in force stays.
func (b *Bot) reloadCommand(ctx context.Context, v *view) Response {
	if !v.rules.Org.IsAdmin(v.me.ID) {
		return say(v.T(msgAdminsOnly))
	}
	if b.reload == nil {
		return say(v.T(msgReloadUnavailable))
	}
	if err := b.reload(ctx, v.me.ID); err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINVALID {
			return say(v.T(msgReloadFailed) + "\n```" + blockkit.Escape(briefbot.ErrorMessage(err, v.Lang)) + "```")
		}
		return b.errorReply(err, v, "reload")
	}
	r := b.rules()
	return say(v.T(msgReloaded, len(r.Org.Members), len(r.Org.Departments), len(r.Org.Committees)))
}
