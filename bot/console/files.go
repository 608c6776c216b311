package console

import (
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// LocalFiles is the console's bot.Fetcher: a file attached by its path on this
// computer (a file:// URL the console made) is read from the disk.
type LocalFiles struct{}

// Fetch implements bot.Fetcher.
func (LocalFiles) Fetch(ctx context.Context, u bot.Upload, w io.Writer) error {
	p, err := url.Parse(u.URL)
	if err != nil || p.Scheme != "file" {
		return errors.New("console: not a local file")
	}
	f, err := os.Open(p.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// localFile describes the file at path as the bot takes an uploaded one: its name,
// size and where LocalFiles reads it.
func localFile(path string) (slack.File, error) {
	abs, err := filepath.Abs(strings.Trim(strings.TrimSpace(path), `"'`))
	if err != nil {
		return slack.File{}, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return slack.File{}, err
	}
	if info.IsDir() {
		return slack.File{}, errors.New("a folder, not a file")
	}
	u := url.URL{Scheme: "file", Path: abs}
	return slack.File{ID: "local:" + abs, Name: filepath.Base(abs), Size: int(info.Size()), URLPrivate: u.String()}, nil
}

// askFiles asks for files by their local paths, one per line, until a line holding
// only "." (or an empty line).
func (c *Console) askFiles(label string) (slack.BlockAction, bool) {
	c.printf("%s（本地文件路径，每行一个，单独一行 . 结束 / local paths, one per line, end with .）:\n", label)
	var fs []slack.File
	for {
		s, ok := c.read()
		if !ok {
			return slack.BlockAction{}, false
		}
		if s == "." || s == "" {
			return slack.BlockAction{Type: "file_input", Files: fs}, true
		}
		f, err := localFile(s)
		if err != nil {
			c.printf("找不到文件 / no such file: %v\n", err)
			continue
		}
		fs = append(fs, f)
	}
}

// attach shares the files at the paths in rest in the DM (`/attach PATH …`), as a
// member shares files in Slack: the DM intake takes them.
func (c *Console) attach(ctx context.Context, rest string) {
	var fs []slack.File
	for _, p := range strings.Fields(rest) {
		f, err := localFile(p)
		if err != nil {
			c.printf("找不到文件 / no such file: %v\n", err)
			return
		}
		fs = append(fs, f)
	}
	if len(fs) == 0 {
		c.printf("用法 / usage: /attach 文件路径 …\n")
		return
	}
	c.respond(ctx, c.bot.DM(ctx, bot.CommandInput{User: bot.User{Member: c.me}, Files: bot.Uploads(fs)}))
}
