-- No unique key on message_id: attach's inbox drops a redelivered event, and a second handling would show as a
-- second row here rather than be hidden by a constraint.
CREATE TABLE handled_events (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    message_id VARCHAR(255) NOT NULL,
    user_id BIGINT NOT NULL,
    email VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL,
    handled_at BIGINT NOT NULL
);
