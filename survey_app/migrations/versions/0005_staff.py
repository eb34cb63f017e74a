"""staff workspace: scope ids and folded text on feedback, assignee, session tokens, audit indexes

Revision ID: 0005_staff
Revises: 0004_channels
Create Date: 2026-11-22 23:30:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_staff'
down_revision = "0004_channels"
branch_labels = None
depends_on = None


# survey_app.text.fold as it was at this revision, copied: a migration must not change when app code does.
def _fold(text):
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commune_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_log_commune_id_admin_unit'), 'admin_unit', ['commune_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_audit_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_log_object', ['object_type', 'object_id'], unique=False)

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commune_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('text_folded', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_feedback_commune_id_admin_unit'), 'admin_unit', ['commune_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_feedback_province_id_admin_unit'), 'admin_unit', ['province_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_feedback_assigned_to_id_staff_user'), 'staff_user', ['assigned_to_id'], ['id'])
        batch_op.create_index('ix_feedback_commune_created', ['commune_id', 'created_at'], unique=False)
        batch_op.create_index('ix_feedback_province_created', ['province_id', 'created_at'], unique=False)
        batch_op.create_index('ix_feedback_province_label', ['province_id', 'predicted_label', 'confirmed_label'], unique=False)

    # Backfill: the commune is the unit itself or a hamlet's parent; the province is the commune's parent,
    # or its grandparent under a legacy district.
    op.execute("""
        UPDATE feedback SET commune_id = (
            SELECT CASE WHEN u.level = 'commune' THEN u.id WHEN u.level = 'hamlet' THEN u.parent_id END
            FROM admin_unit u WHERE u.id = feedback.unit_id)
    """)
    op.execute("""
        UPDATE feedback SET province_id = (
            SELECT CASE WHEN p.level = 'province' THEN p.id ELSE p.parent_id END
            FROM admin_unit c JOIN admin_unit p ON p.id = c.parent_id WHERE c.id = feedback.commune_id)
    """)
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, text FROM feedback")).all()
    if rows:
        conn.execute(sa.text("UPDATE feedback SET text_folded = :folded WHERE id = :id"),
                     [{"id": r.id, "folded": _fold(r.text)} for r in rows])


def downgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_province_label')
        batch_op.drop_index('ix_feedback_province_created')
        batch_op.drop_index('ix_feedback_commune_created')
        batch_op.drop_constraint(batch_op.f('fk_feedback_assigned_to_id_staff_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_feedback_province_id_admin_unit'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_feedback_commune_id_admin_unit'), type_='foreignkey')
        batch_op.drop_column('assigned_to_id')
        batch_op.drop_column('text_folded')
        batch_op.drop_column('province_id')
        batch_op.drop_column('commune_id')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_object')
        batch_op.drop_index(batch_op.f('ix_audit_log_created_at'))
        batch_op.drop_constraint(batch_op.f('fk_audit_log_commune_id_admin_unit'), type_='foreignkey')
        batch_op.drop_column('commune_id')

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('session_token')
