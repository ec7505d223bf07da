"""API tokens become the engine's model (they were the org module's): state only.

The table keeps its name, `org_apitoken`, so no row moves and nothing is written; org's
0007 removes the model from org's state after this one adds it here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import modules.engine.models


class Migration(migrations.Migration):

    dependencies = [
        ('engine', '0006_outbox'),
        ('org', '0006_province_code_validity'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='Tên gợi nhớ')),
                        ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('prefix', models.CharField(editable=False, max_length=16, verbose_name='Tiền tố')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='Tạo lúc')),
                        ('expires_at', models.DateTimeField(default=modules.engine.models.default_expiry, verbose_name='Hết hạn lúc')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='Thu hồi lúc')),
                        ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='Dùng lần cuối')),
                        ('read_only', models.BooleanField(default=False, help_text='Chỉ truy vấn và theo dõi, không ghi: dùng cho màn hình bảng tin.', verbose_name='Chỉ đọc (bảng tin)')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='Tài khoản')),
                    ],
                    options={
                        'verbose_name': 'Mã truy cập API',
                        'verbose_name_plural': 'Mã truy cập API',
                        'db_table': 'org_apitoken',
                        'ordering': ('-created_at',),
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
