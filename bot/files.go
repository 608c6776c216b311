package bot

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/files"
)

// Upload is a file a member attached, as the transport describes it before it is
// fetched: in the intake form's file field, or shared in the DM intake.
type Upload struct {
	ID   string
	Name string
	Size int64  // as declared; 0 if not known
	URL  string // where the transport's Fetcher gets it
	// External marks a file kept outside the chat service (a link dressed as a file):
	// it is refused, never fetched.
	External bool
}

// Fetcher fetches the content of an attached file into w: over Slack with the bot
// token (files:read), or from the local disk in the console. It stops with w's error
// when w refuses more (a file served larger than it declared).
type Fetcher interface {
	Fetch(ctx context.Context, u Upload, w io.Writer) error
}

// filesOn reports whether v's member may attach files now: a file store and a
// fetcher are set and the intake rules take files.
func (b *Bot) filesOn(v *view) bool { return v.files }

// Uploads reads Slack's file objects (a form's file field, a message's shared
// files) as uploads.
func Uploads(fs []slack.File) []Upload {
	var out []Upload
	for _, f := range fs {
		u := f.URLPrivateDownload
		if u == "" {
			u = f.URLPrivate
		}
		out = append(out, Upload{ID: f.ID, Name: f.Name, Size: int64(f.Size), URL: u, External: f.IsExternal})
	}
	return out
}

// declared is what the uploads say of themselves, before anything is fetched: the
// intake rules check names, types and sizes from it.
func declared(ups []Upload) []briefbot.File {
	var out []briefbot.File
	for _, u := range ups {
		out = append(out, briefbot.File{Name: u.Name, Size: u.Size, Type: briefbot.FileType(u.Name)})
	}
	return out
}

// staged are a matter's files fetched into the file store and not yet committed.
type staged []*files.Staged

func (s staged) discard() {
	for _, st := range s {
		st.Discard()
	}
}

// commit puts every staged file in the store; on error none of the rest is kept.
func (s staged) commit() error {
	for i, st := range s {
		if _, err := st.Commit(); err != nil {
			s[i+1:].discard()
			return briefbot.Internal("commit file", err)
		}
	}
	return nil
}

// fetchFiles fetches each upload into the file store's staging area, checking first
// what it declares (name, type, size: nothing is fetched for a file the rules refuse)
// and then what it is: no larger than it declared nor than the limit, and exactly
// its declared size. It returns the files' records and the staged files, or the
// refusal (on FieldFiles, never quoting a name), having kept nothing.
func (b *Bot) fetchFiles(ctx context.Context, v *view, ups []Upload) ([]briefbot.File, staged, error) {
	var out []briefbot.File
	var sts staged
	fail := func(err error) ([]briefbot.File, staged, error) {
		sts.discard()
		return nil, nil, err
	}
	rules := v.rules.Intake
	for _, u := range ups {
		if err := rules.CheckFile(u.Name, u.Size); err != nil {
			return fail(err)
		}
		if u.External || u.URL == "" {
			return fail(errFileFetch)
		}
		limit := rules.MaxFileSize
		if u.Size > 0 {
			limit = min(limit, u.Size)
		}
		st, err := b.files.Create(limit)
		if err != nil {
			return fail(briefbot.Internal("stage file", err))
		}
		sts = append(sts, st)
		ferr := b.fetch.Fetch(ctx, u, st)
		sum, n, derr := st.Done()
		switch {
		case errors.Is(ferr, files.ErrTooLarge) || errors.Is(derr, files.ErrTooLarge):
			return fail(errFileServedLarger)
		case ferr != nil:
			b.log.Warn("fetch file", "file", u.ID, "err", ferr)
			return fail(errFileFetch)
		case derr != nil:
			return fail(briefbot.Internal("stage file", derr))
		case n == 0 || (u.Size > 0 && n != u.Size):
			return fail(errFileServedLarger)
		}
		out = append(out, briefbot.File{Name: strings.TrimSpace(u.Name), Size: n, SHA256: sum, Type: briefbot.FileType(u.Name)})
	}
	return out, sts, nil
}

// attach fetches m's uploads and commits them to the file store, recording them in
// m: called when the whole matter has passed its checks, just before the ledger
// write, so a refused matter keeps no file and a stored one names only files on disk.
func (b *Bot) attach(ctx context.Context, v *view, m *briefbot.Matter, ups []Upload) error {
	if len(ups) == 0 {
		m.Files = nil
		return nil
	}
	if !b.filesOn(v) {
		return briefbot.FieldErrorf(briefbot.ReasonFile, briefbot.FieldFiles, msgFilesOffHere)
	}
	fs, sts, err := b.fetchFiles(ctx, v, ups)
	if err != nil {
		return err
	}
	if err := sts.commit(); err != nil {
		return err
	}
	m.Files = fs
	return nil
}

// maxFileShown is how much of a file's name a card or summary shows.
const maxFileShown = 80

var (
	errFileFetch        = briefbot.FieldErrorf(briefbot.ReasonFile, briefbot.FieldFiles, msgFileFetch)
	errFileServedLarger = briefbot.FieldErrorf(briefbot.ReasonFile, briefbot.FieldFiles, msgFileServedBad)
)

// fileLines lists files for people: name (cut to maxFileShown characters), size and
// short hash, one per line, escaped.
func (v *view) fileLines(fs []briefbot.File) []string {
	var out []string
	for _, f := range fs {
		out = append(out, v.T(msgFileLine, blockkit.Escape(blockkit.Cut(blockkit.OneLine(f.Name), maxFileShown, "…")), briefbot.SizeText(f.Size), f.ShortHash()))
	}
	return out
}

// dmFiles takes files shared in the DM intake conv (held locked), at any step: each
// is checked and fetched into the file store's staging area and added to the matter,
// to be kept only if the matter is submitted. A refused file is named by nothing but
// the reason, and the question asked now is asked again.
func (b *Bot) dmFiles(ctx context.Context, v *view, conv *dmIntake, ups []Upload) blockkit.Message {
	conv.last = v.Now
	if !v.files {
		return v.dmAgain(conv, v.T(msgFilesOffHere))
	}
	if max := v.rules.Intake.MaxFiles; len(conv.m.Files)+len(ups) > max {
		return v.dmAgain(conv, v.T(msgDMTooManyFiles, max))
	}
	fs, sts, err := b.fetchFiles(ctx, v, ups)
	if briefbot.ErrorCode(err) == briefbot.EINTERNAL {
		return blockkit.Text(b.errorText(err, v.Lang, "dm files"))
	}
	if err != nil {
		return v.dmAgain(conv, problems(err, v.Lang))
	}
	m := conv.m.Clone()
	m.Files = append(m.Files, fs...)
	conv.m = m
	conv.staged = append(conv.staged, sts...)
	if conv.at < len(conv.steps) && conv.steps[conv.at].field == briefbot.FieldFiles {
		return blockkit.Text(conv.steps[conv.at].prompt(v, conv.m)) // it lists what was received
	}
	return v.dmAgain(conv, v.T(msgDMFilesGot)+"\n"+strings.Join(v.fileLines(fs), "\n"))
}
