package models

import "testing"

// The statements are as GORM sends them to SQLite (captured with a logger,
// with their ? parameters), and as someone might type them by hand.
func TestTouchesCredentials(t *testing.T) {
	scenarios := []struct {
		name  string
		query string
		want  bool
	}{
		{"token created", "INSERT INTO `api_tokens` (`user_id`,`name`,`hash`,`last_used_at`,`revoked_at`,`created_at`) VALUES (?,?,?,?,?,?) RETURNING `id`", true},
		{"token revoked", "UPDATE `api_tokens` SET `revoked_at`=? WHERE user_id = ?", true},
		{"session created", "INSERT INTO `sessions` (`hash`,`user_id`,`csrf`,`expires_at`,`last_seen_at`,`created_at`) VALUES (?,?,?,?,?,?) RETURNING `id`", true},
		{"signed out", "DELETE FROM `sessions` WHERE hash = ?", true},
		{"user demoted", "UPDATE `users` SET `role`=?,`updated_at`=? WHERE id = ?", true},
		{"user deleted", "DELETE FROM `users` WHERE `users`.`id` = ?", true},
		{"by hand, upper case", "update USERS set role = 'viewer' where id = 3", true},
		{"double quotes and a schema", `DELETE FROM main."Sessions" WHERE user_id = 2`, true},
		{"brackets, at the very end", "DELETE FROM [api_tokens]", true},
		{"over lines", "UPDATE\n\tusers\nSET customer_id = 2", true},
		{"second of several", "UPDATE settings SET value = 1; DELETE FROM users", true},
		{"named in a read", "SELECT * FROM `users` WHERE `users`.`id` = ?", true},
		{"item update", "UPDATE `action_items` SET `status`=?,`closed_at`=?,`updated_at`=? WHERE `id` = ?", false},
		{"audit event", "INSERT INTO `audit_events` (`entity_type`,`entity_id`,`postmortem_id`,`actor_id`,`actor`,`action`,`field`,`old_value`,`new_value`,`reason`,`created_at`) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING `id`", false},
		{"feed token of a user", "INSERT INTO `feed_tokens` (`user_id`,`hash`,`created_at`) VALUES (?,?,?) RETURNING `id`", false},
		{"longer names", "UPDATE users_archive SET x = 1 WHERE old_sessions = 0 AND my_api_tokens = 1", false},
		{"customers", "DELETE FROM `customers` WHERE `customers`.`id` = ?", false},
		{"empty", "", false},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			if got := touchesCredentials(sc.query); got != sc.want {
				t.Fatalf("touchesCredentials(%q) = %v, want %v", sc.query, got, sc.want)
			}
		})
	}
}

// It runs on every statement of the writer.
func TestTouchesCredentialsDoesNotAllocate(t *testing.T) {
	q := "INSERT INTO `audit_events` (`entity_type`,`entity_id`,`postmortem_id`,`actor_id`) VALUES (?,?,?,?) RETURNING `id`"
	if n := testing.AllocsPerRun(100, func() { touchesCredentials(q) }); n != 0 {
		t.Fatalf("%v allocations per call", n)
	}
}
