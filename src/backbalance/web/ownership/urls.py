from __future__ import annotations

from django.urls import path

from backbalance.web.ownership import views

app_name = "ownership"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.json", views.export_json, name="export_json"),
    path("export-csv.zip", views.export_csv, name="export_csv"),
    path("export-fhir.json", views.export_fhir, name="export_fhir"),
    path("import/", views.import_data, name="import"),
    path("delete/", views.delete_account, name="delete"),
]
