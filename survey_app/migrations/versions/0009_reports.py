"""report indexes: per-campaign counts and one question's answers read from the index alone

Revision ID: 0009_reports
Revises: 0005_staff
Create Date: 2026-11-22 23:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_reports'
down_revision = "0005_staff"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_campaign_valid', ['campaign_id', 'is_valid', 'id'], unique=False)
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index('ix_answer_question_response', ['question_id', 'response_id', 'satisfied'], unique=False)


def downgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_question_response')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_campaign_valid')
