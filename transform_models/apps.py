from django.apps import AppConfig


class TransformModelsConfig(AppConfig):
    name = "transform_models"
    verbose_name = "Transformation models"
