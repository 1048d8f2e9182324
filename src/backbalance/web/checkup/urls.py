from __future__ import annotations

from django.urls import path

from backbalance.web.checkup import results, retest, views

app_name = "checkup"
urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.new, name="new"),
    path("<uuid:pk>/safety/<int:step>/", views.screen, name="screen"),
    path("<uuid:pk>/go-now/", views.go_now, name="go_now"),
    path("<uuid:pk>/see-a-doctor/", views.see_a_doctor, name="see_a_doctor"),
    path("<uuid:pk>/about/", views.about, name="about"),
    path("<uuid:pk>/tests/", views.tests, name="tests"),
    path("<uuid:pk>/tests/<slug:test_id>/", views.self_test, name="self_test"),
    path("<uuid:pk>/finish/", views.finish, name="finish"),
    path("<uuid:pk>/results/", results.results_page, name="results"),
    path("<uuid:pk>/retest/", retest.choose, name="retest"),
    path("<uuid:pk>/compare/", retest.compare, name="compare"),
]
