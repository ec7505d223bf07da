from django.apps import AppConfig


class SampleConfig(AppConfig):
    name = "tests.sample_module"
    label = "sample"
    verbose_name = "Mô-đun mẫu"
