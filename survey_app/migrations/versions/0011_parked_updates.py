"""parked updates: a chat update whose handling failed for good is kept whole, not dropped

Revision ID: 0011_parked_updates
Revises: 0009_reports
Create Date: 2026-12-08 02:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_parked_updates'
down_revision = "0009_reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'parked_update',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('external_id', sa.String(length=80), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('parked_at', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_parked_update')),
        sa.UniqueConstraint('channel', 'external_id', name=op.f('uq_parked_update_channel_external_id')),
    )


def downgrade():
    op.drop_table('parked_update')
