"""Filters and pagination for the workflow list: `?search= &type= &visibility= &owner= &tag= &page_size=`."""

import django_filters
from django.db.models import CharField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from rest_framework.pagination import PageNumberPagination

from designer.models import Visibility, Workflow, WorkflowType


class WorkflowFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", help_text="Words in the name or description.")
    type = django_filters.ChoiceFilter(choices=WorkflowType.choices)
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)
    owner = django_filters.CharFilter(method="filter_owner", help_text="A username, or `me`.")
    tag = django_filters.CharFilter(method="filter_tag", help_text="`key` (has the tag) or `key=value`.")

    class Meta:
        model = Workflow
        fields = ["search", "type", "visibility", "owner", "tag"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
        return queryset

    def filter_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "me":
            return queryset.filter(owner=self.request.user)
        return queryset.filter(owner__username=value)

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        key, has_value, tag_value = value.partition("=")
        if has_value:
            # KeyTextTransform takes the key whole: a key holding "__" is not read as a nested path.
            text = Cast(KeyTextTransform(key, "tags"), CharField())
            return queryset.alias(tag_value=text).filter(tag_value=tag_value)
        return queryset.filter(tags__has_key=key)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
