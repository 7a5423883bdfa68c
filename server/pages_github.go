package server

import (
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// linkGitHubForm links an item to an issue, or creates its issue, from the
// item page; failures come back as a flash on the page.
func (s *Server) linkGitHubForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/items/%d#github", id)
	if s.cfg.GitHub == nil {
		return s.backWithError(c, back, errGitHubDisabled)
	}
	in := models.GitHubLinkInput{IssueURL: strings.TrimSpace(c.FormValue("issue_url"))}
	if repo := strings.TrimSpace(c.FormValue("repo")); in.IssueURL == "" && repo != "" {
		in.Create, in.Repo = true, repo
	}
	it, err := s.cfg.GitHub.Link(c.Request().Context(), currentUser(c), id, in)
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, fmt.Sprintf("Linked to %s#%d.", it.GitHubRepo, it.GitHubNumber))
}
