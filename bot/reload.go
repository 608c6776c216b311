package bot

import (
	"context"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// Reload reads the org config again (Options.Reload) and puts it in force at once: a
// member removed from it is refused from the next interaction on. actor is who asked
// ("" for a signal); the reload is recorded in the audit log. On error the config in
// force stays.
func (b *Bot) Reload(ctx context.Context, actor briefbot.MemberID) error {
	if b.reload == nil {
		return briefbot.Errorf(briefbot.EINVALID, "no_reload", briefbot.Text(msgReloadUnavailable))
	}
	d, source, err := b.reload()
	if err != nil {
		return err
	}
	if actor == "" {
		actor = "briefbot"
	}
	if err := b.store.AppendAudit(ctx, store.AuditEntry{Actor: actor, Action: "config_reload", Detail: source}); err != nil {
		return err
	}
	b.SetDirectory(d)
	b.log.Info("config reloaded", "source", source, "by", string(actor))
	return nil
}

// reloadCommand answers `reload`, for admins only.
func (b *Bot) reloadCommand(ctx context.Context, v *view) Message {
	if !v.dir.Org.IsAdmin(v.me.ID) {
		return textMessage(v.tr(msgAdminsOnly))
	}
	if err := b.Reload(ctx, v.me.ID); err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINVALID {
			return textMessage(v.tr(msgReloadFailed) + "\n```" + Escape(briefbot.ErrorMessage(err, v.lang)) + "```")
		}
		return b.errorMessage(err, v.lang, "reload")
	}
	d := b.Directory()
	return textMessage(v.tr(msgReloaded, len(d.Org.Members), len(d.Org.Departments), len(d.Org.Committees)))
}
