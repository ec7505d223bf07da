from django.urls import path

from .intake_view import intake_page
from .views import exchange_acknowledgement, register_download

urlpatterns = [
    path("van-ban/vao-so/", intake_page, name="documents-intake"),
    path("van-ban/so/<slug:name>.<slug:fmt>", register_download, name="documents-register"),
    path("van-ban/lien-thong/phan-hoi", exchange_acknowledgement, name="documents-exchange-ack"),
]
